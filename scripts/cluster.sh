#!/usr/bin/env bash
# Local Tessera cluster: the nodes described by cluster-conf/node*.properties, on this host.
#
#   scripts/cluster.sh start [NODE]   build the server jar if missing, start all nodes (or one),
#                                     wait for a leader, print roles and ports
#   scripts/cluster.sh stop [NODE]    graceful stop (SIGTERM, wait, SIGKILL only after the grace period)
#   scripts/cluster.sh kill NODE      kill -9 one node (crash test)
#   scripts/cluster.sh status         one line per node: name, pid, role, term, ports
#
# Environment: TESSERA_DATA_ROOT (default <repo>/data), TESSERA_CONF_DIR (default <repo>/cluster-conf),
# TESSERA_JAVA_OPTS (default -Xms256m -Xmx512m), TESSERA_SERVER_JAR (default the coordinator build's
# server jar; give a copy when the tree is rebuilt while the cluster runs),
# TESSERA_START_TIMEOUT seconds to wait for a leader (default 30), TESSERA_STOP_TIMEOUT (default 20).
# Each node keeps node.pid, logs/node.log and console.out in <data-root>/<node>.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CONF_DIR="${TESSERA_CONF_DIR:-$REPO/cluster-conf}"
DATA_ROOT="${TESSERA_DATA_ROOT:-$REPO/data}"
# Absolute, because each node is started inside its own data directory.
mkdir -p "$DATA_ROOT"
CONF_DIR="$(cd "$CONF_DIR" && pwd)"
DATA_ROOT="$(cd "$DATA_ROOT" && pwd)"
START_TIMEOUT="${TESSERA_START_TIMEOUT:-30}"
STOP_TIMEOUT="${TESSERA_STOP_TIMEOUT:-20}"

die() { echo "cluster.sh: $*" >&2; exit 1; }

all_nodes() {
  local f
  for f in "$CONF_DIR"/node*.properties; do
    [[ -e "$f" ]] || die "no node*.properties in $CONF_DIR"
    basename "$f" .properties
  done
}

conf_file() {
  local f="$CONF_DIR/$1.properties"
  [[ -f "$f" ]] || die "unknown node '$1' (no $f)"
  echo "$f"
}

# "host control transaction raft" of a node, from its own cluster.members entry.
endpoints() {
  local node="$1" members entry
  members="$(sed -n 's/^[[:space:]]*cluster\.members[[:space:]]*=[[:space:]]*//p' "$(conf_file "$node")" | tr -d '[:space:]')"
  IFS=',' read -r -a entries <<< "$members"
  for entry in "${entries[@]}"; do
    if [[ "${entry%%@*}" == "$node" ]]; then
      echo "${entry#*@}" | tr ':' ' '
      return
    fi
  done
  die "$node is not in its own cluster.members"
}

data_dir() { echo "$DATA_ROOT/$1"; }

pid_of() {
  local f
  f="$(data_dir "$1")/node.pid"
  [[ -f "$f" ]] || return 1
  local pid
  pid="$(tr -d '[:space:]' < "$f")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

# GET http://host:port/path; prints the body. curl if present, else bash's /dev/tcp.
http_get() {
  local host="$1" port="$2" path="$3"
  if command -v curl >/dev/null 2>&1; then
    curl -fsS --max-time 2 "http://$host:$port$path" 2>/dev/null
    return
  fi
  local response
  exec 3<>"/dev/tcp/$host/$port" || return 1
  printf 'GET %s HTTP/1.1\r\nHost: %s:%s\r\nConnection: close\r\n\r\n' "$path" "$host" "$port" >&3
  response="$(timeout 2 cat <&3 || true)"
  exec 3<&- 3>&-
  [[ "$response" == "HTTP/1.1 200"* ]] || return 1
  printf '%s' "${response#*$'\r\n\r\n'}"
}

json_field() {
  # crude but sufficient for /health: "name":"text" or "name":number|null among the top-level
  # fields, which all come before the "members" array (whose entries repeat names like "role").
  local top="${1%%\"members\"*}"
  sed -n "s/.*\"$2\":\"\\{0,1\\}\\([^\",}]*\\)\"\\{0,1\\}[,}].*/\\1/p" <<< "$top" | head -n 1
}

health() {
  local host control
  read -r host control _ _ <<< "$(endpoints "$1")"
  http_get "$host" "$control" /health
}

server_jar() {
  if [[ -n "${TESSERA_SERVER_JAR:-}" ]]; then
    echo "$TESSERA_SERVER_JAR"
    return
  fi
  ls "$REPO"/coordinator/target/tessera-coordinator-*-server.jar 2>/dev/null | head -n 1
}

ensure_jar() {
  if [[ -z "$(server_jar)" ]]; then
    echo "building the server jar (mvn -B -ntp -q -DskipTests package) ..."
    (cd "$REPO" && mvn -B -ntp -q -DskipTests package)
  fi
  [[ -f "$(server_jar)" ]] || die "no server jar $(server_jar) (coordinator/target/tessera-coordinator-*-server.jar after the build)"
}

jvm_opens() {
  sed -n 's:.*<jvm.opens>\(.*\)</jvm.opens>.*:\1:p' "$REPO/pom.xml"
}

start_node() {
  local node="$1" dir pid
  if pid="$(pid_of "$node")"; then
    echo "$node already running (pid $pid)"
    return
  fi
  dir="$(data_dir "$node")"
  mkdir -p "$dir"
  # jraft installs a Java handler for SIGUSR2, which is also HotSpot's thread suspend/resume signal:
  # JFR sampling (jcmd JFR.start) would then run jraft's metric dump on every sample. Move HotSpot's.
  export _JAVA_SR_SIGNUM="${_JAVA_SR_SIGNUM:-40}"
  # The node runs inside its data dir: jraft writes diagnostic dumps (node_describe.log.*) to the
  # working directory on SIGUSR2, and they belong with the node, not in the repository.
  local jar conf
  jar="$(server_jar)"
  conf="$(conf_file "$node")"
  # shellcheck disable=SC2046,SC2086
  (cd "$dir" && exec nohup java $(jvm_opens) ${TESSERA_JAVA_OPTS:--Xms256m -Xmx512m} \
    -Dtessera.data.dir="$dir" -jar "$jar" "$conf" \
    > "$dir/console.out" 2>&1 < /dev/null) &
  local launched=$!
  local waited=0
  until pid_of "$node" >/dev/null; do
    if ! kill -0 "$launched" 2>/dev/null; then
      die "$node failed to start: $(tail -n 1 "$dir/console.out")"
    fi
    (( waited++ < 200 )) || die "$node wrote no pid file within 20 s (see $dir/console.out)"
    sleep 0.1
  done
  echo "$node started (pid $(pid_of "$node"))"
}

leader_known() {
  local node body leader
  for node in "$@"; do
    body="$(health "$node" || true)"
    leader="$(json_field "$body" leader)"
    if [[ -n "$leader" && "$leader" != "null" ]]; then
      return 0
    fi
  done
  return 1
}

wait_for_leader() {
  local deadline=$((SECONDS + START_TIMEOUT))
  until leader_known "$@"; do
    if (( SECONDS >= deadline )); then
      status
      die "the nodes are up but no leader was elected within ${START_TIMEOUT}s (logs: $DATA_ROOT/<node>/logs/node.log)"
    fi
    sleep 0.5
  done
}

stop_node() {
  local node="$1" pid
  if ! pid="$(pid_of "$node")"; then
    echo "$node not running"
    return
  fi
  kill -TERM "$pid"
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null; do
    if (( SECONDS >= deadline )); then
      echo "$node (pid $pid) did not stop within ${STOP_TIMEOUT}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  echo "$node stopped"
}

kill_node() {
  local node="$1" pid
  pid="$(pid_of "$node")" || die "$node not running"
  kill -KILL "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  echo "$node killed (pid $pid)"
}

status() {
  local node pid body role term host control transaction raft
  for node in $(all_nodes); do
    read -r host control transaction raft <<< "$(endpoints "$node")"
    if pid="$(pid_of "$node")"; then
      body="$(health "$node" || true)"
      role="$(json_field "$body" role)"
      term="$(json_field "$body" term)"
      printf '%-6s pid=%-8s role=%-9s term=%-4s control=%s:%s transaction=%s:%s raft=%s:%s\n' \
        "$node" "$pid" "${role:-?}" "${term:-?}" "$host" "$control" "$host" "$transaction" "$host" "$raft"
    else
      printf '%-6s %-12s %-14s %-9s control=%s:%s transaction=%s:%s raft=%s:%s\n' \
        "$node" "stopped" "" "" "$host" "$control" "$host" "$transaction" "$host" "$raft"
    fi
  done
}

usage() {
  sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 1
}

cmd="${1:-}"
node="${2:-}"
case "$cmd" in
  start)
    ensure_jar
    if [[ -n "$node" ]]; then
      conf_file "$node" >/dev/null
      start_node "$node"
      wait_for_leader "$node"
    else
      for n in $(all_nodes); do start_node "$n"; done
      # shellcheck disable=SC2046
      wait_for_leader $(all_nodes)
    fi
    status
    ;;
  stop)
    if [[ -n "$node" ]]; then
      conf_file "$node" >/dev/null
      stop_node "$node"
    else
      for n in $(all_nodes); do stop_node "$n"; done
    fi
    ;;
  kill)
    [[ -n "$node" ]] || die "kill needs a node name"
    conf_file "$node" >/dev/null
    kill_node "$node"
    ;;
  status)
    status
    ;;
  *)
    usage
    ;;
esac
