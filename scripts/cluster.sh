#!/usr/bin/env bash
# Local Tessera cluster: the nodes described by cluster-conf/node*.properties (and the ones added since,
# in <data-root>/conf.d), on this host.
#
#   scripts/cluster.sh start [NODE]   build the server jar if missing, start all nodes (or one); return
#                                     once the cluster serves (a leader that started its term answers
#                                     the registry metadata) and a started node has caught up
#   scripts/cluster.sh stop [NODE]    graceful stop (SIGTERM: a leader hands leadership over, requests in
#                                     flight are answered; SIGKILL only after the grace period)
#   scripts/cluster.sh restart [NODE] rolling restart, followers first, the leader last; each node is
#                                     back and caught up, and the cluster serves, before the next one
#   scripts/cluster.sh add NODE [HOST:CONTROL:TRANSACTION:RAFT]
#                                     a new member: config in <data-root>/conf.d (ports: the highest in use
#                                     + 1 unless given), member keystore from <data-root>/ca, start it
#                                     (cluster.join=true), tessera-admin member add, wait until it votes
#   scripts/cluster.sh remove NODE    tessera-admin member remove, stop it, set its config and data aside
#   scripts/cluster.sh replace OLD NEW [HOST:CONTROL:TRANSACTION:RAFT]
#                                     a failed machine: NEW is made and started like add, then tessera-admin
#                                     member replace (add NEW, then remove OLD); OLD is stopped and set aside
#   scripts/cluster.sh transfer-leader [NODE]
#                                     hand leadership to NODE (default: the voter furthest ahead)
#   scripts/cluster.sh kill NODE      kill -9 one node (crash test)
#   scripts/cluster.sh status         one line per node: name, pid, role, term, ports
#
# Environment: TESSERA_DATA_ROOT (default <repo>/data), TESSERA_CONF_DIR (default <repo>/cluster-conf),
# TESSERA_JAVA_OPTS (default -Xms256m -Xmx512m), TESSERA_SERVER_JAR (default the coordinator build's
# server jar; give a copy when the tree is rebuilt while the cluster runs),
# TESSERA_ADMIN_JAR (default the admin build's cli jar), TESSERA_START_TIMEOUT seconds to wait for a serving
# cluster or a node to catch up (default 30), TESSERA_STOP_TIMEOUT (default 20).
# Each node keeps node.pid, logs/node.log (rotated: 5 x 50 MB) and console.out (only what the JVM prints
# itself, e.g. a crash; everything else goes to node.log) in <data-root>/<node>.
#
# Member TLS: at the first start the script makes a cluster CA in <data-root>/ca and one member
# keystore per node in <data-root>/<node>/tls (tessera-admin tls init), unless the node's file sets
# raft.tls.enabled=false or its own raft.tls.keystore. In production keep the CA directory off the nodes.
#
# Credentials: at the first start the script generates both roles' credentials (client role
# seata-client, admin role tessera-admin, random passwords) into <data-root>/credentials.env (mode 600),
# prints them once, and hands them to every node as TESSERA_REGISTRY_* / TESSERA_ADMIN_*. Variables
# already set in the environment, or keys set in a node's properties file, win over the file.
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
# Nodes added with `add` (their generated config) and markers of removed nodes. cluster-conf/ is only the
# bootstrap configuration of a new cluster; the cluster's membership lives in its replicated state.
GEN_DIR="$DATA_ROOT/conf.d"

die() { echo "cluster.sh: $*" >&2; exit 1; }

all_nodes() {
  local f name
  {
    for f in "$CONF_DIR"/node*.properties "$GEN_DIR"/*.properties; do
      [[ -e "$f" ]] || continue
      name="$(basename "$f" .properties)"
      [[ -e "$GEN_DIR/$name.removed" ]] && continue
      echo "$name"
    done
  } | sort -u -V
}

conf_file() {
  local f="$GEN_DIR/$1.properties"
  [[ -f "$f" ]] || f="$CONF_DIR/$1.properties"
  [[ -f "$f" && ! -e "$GEN_DIR/$1.removed" ]] || die "unknown node '$1' (no $CONF_DIR/$1.properties or $GEN_DIR/$1.properties)"
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

CREDENTIALS="$DATA_ROOT/credentials.env"

random_secret() {
  # 24 URL-safe characters (144 bits).
  head -c 18 /dev/urandom | base64 | tr '+/' '-_'
}

ensure_credentials() {
  [[ -f "$CREDENTIALS" ]] && return
  (
    umask 077
    {
      echo "# Generated by scripts/cluster.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ). Client role: what Seata clients"
      echo "# use (registry.raft.username/password). Admin role: backup, console, every mutating endpoint."
      echo "TESSERA_REGISTRY_USERNAME=seata-client"
      echo "TESSERA_REGISTRY_PASSWORD=$(random_secret)"
      echo "TESSERA_ADMIN_USERNAME=tessera-admin"
      echo "TESSERA_ADMIN_PASSWORD=$(random_secret)"
    } > "$CREDENTIALS.tmp"
    mv "$CREDENTIALS.tmp" "$CREDENTIALS"
  )
  echo "generated credentials for this cluster (shown once; kept in $CREDENTIALS, mode 600):"
  grep -v '^#' "$CREDENTIALS" | sed 's/^/  /'
}

# Exports each generated credential unless the environment already has it or the node's file sets the key.
export_credentials() {
  local conf="$1" name value key
  [[ -f "$CREDENTIALS" ]] || return 0
  while IFS='=' read -r name value; do
    [[ "$name" =~ ^TESSERA_ ]] || continue
    [[ -n "${!name:-}" ]] && continue
    key="$(echo "${name#TESSERA_}" | tr 'A-Z_' 'a-z.')"
    grep -Eq "^[[:space:]]*${key//./\\.}[[:space:]]*=[[:space:]]*[^[:space:]]" "$conf" && continue
    export "$name=$value"
  done < "$CREDENTIALS"
}

pid_of() {
  local f
  f="$(data_dir "$1")/node.pid"
  [[ -f "$f" ]] || return 1
  local pid
  pid="$(tr -d '[:space:]' < "$f")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

# GET http://host:port/path; prints the body of a 200 or 503 answer (/health answers 503, with its
# fields, on a node that cannot serve). curl if present, else bash's /dev/tcp.
http_get() {
  local host="$1" port="$2" path="$3"
  if command -v curl >/dev/null 2>&1; then
    local out code
    out="$(curl -sS --max-time 2 -w '\n%{http_code}' "http://$host:$port$path" 2>/dev/null)" || return 1
    code="${out##*$'\n'}"
    [[ "$code" == 200 || "$code" == 503 ]] || return 1
    printf '%s' "${out%$'\n'*}"
    return
  fi
  local response
  exec 3<>"/dev/tcp/$host/$port" || return 1
  printf 'GET %s HTTP/1.1\r\nHost: %s:%s\r\nConnection: close\r\n\r\n' "$path" "$host" "$port" >&3
  response="$(timeout 2 cat <&3 || true)"
  exec 3<&- 3>&-
  [[ "$response" == "HTTP/1.1 200"* || "$response" == "HTTP/1.1 503"* ]] || return 1
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

admin_jar() {
  if [[ -n "${TESSERA_ADMIN_JAR:-}" ]]; then
    echo "$TESSERA_ADMIN_JAR"
    return
  fi
  ls "$REPO"/admin/target/tessera-admin-*-cli.jar 2>/dev/null | head -n 1
}

# The value of KEY in a node's file ("" if unset).
conf_value() {
  sed -n "s/^[[:space:]]*${2//./\\.}[[:space:]]*=[[:space:]]*//p" "$(conf_file "$1")" | tail -n 1 | tr -d '[:space:]'
}

# Makes the cluster CA and the member keystores the nodes still lack (see the header).
ensure_member_tls() {
  local node args=()
  for node in "$@"; do
    [[ "$(conf_value "$node" raft.tls.enabled)" == "false" ]] && continue
    [[ -n "$(conf_value "$node" raft.tls.keystore)" ]] && continue
    [[ -f "$(data_dir "$node")/tls/member.p12" ]] && continue
    args+=(--node "$node=$(data_dir "$node")")
  done
  (( ${#args[@]} )) || return 0
  if [[ -z "$(admin_jar)" ]]; then
    echo "building the admin jar (mvn -B -ntp -q -DskipTests -pl admin -am package) ..."
    (cd "$REPO" && mvn -B -ntp -q -DskipTests -pl admin -am package)
  fi
  [[ -f "$(admin_jar)" ]] || die "no admin jar (admin/target/tessera-admin-*-cli.jar after the build)"
  java -Dsofa.middleware.log.disable=true -jar "$(admin_jar)" tls init --ca-dir "$DATA_ROOT/ca" "${args[@]}" \
    || die "could not create the member certificates"
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
  # In a subshell: one node's file-set keys must not hide generated credentials from the next node.
  (
  export_credentials "$conf"
  # shellcheck disable=SC2046,SC2086
  (cd "$dir" && exec nohup java $(jvm_opens) ${TESSERA_JAVA_OPTS:--Xms256m -Xmx512m} \
    -Dtessera.data.dir="$dir" -Dtessera.log.console.level=OFF -jar "$jar" "$conf" \
    > "$dir/console.out" 2>&1 < /dev/null) &
  echo $! > "$dir/.launched"
  )
  local launched
  launched="$(cat "$dir/.launched")"
  rm -f "$dir/.launched"
  local waited=0
  until pid_of "$node" >/dev/null; do
    if ! kill -0 "$launched" 2>/dev/null; then
      die "$node failed to start: $(tail -n 1 "$dir/console.out")"
    fi
    (( waited++ < START_TIMEOUT * 10 )) || die "$node wrote no pid file within ${START_TIMEOUT}s (see $dir/console.out)"
    sleep 0.1
  done
  echo "$node started (pid $(pid_of "$node"))"
}

# The node (of those given) whose /health says it is the ready leader (jraft onLeaderStart: it has applied
# every entry of earlier terms and serves), or nothing.
ready_leader() {
  local node body
  for node in "$@"; do
    body="$(health "$node" || true)"
    if [[ "$(json_field "$body" role)" == "LEADER" && "$(json_field "$body" status)" == "ok" ]]; then
      echo "$node"
      return 0
    fi
  done
  return 1
}

# A credential the nodes got from credentials.env, unless the environment overrides it.
credential() {
  local name="$1" value=""
  if [[ -n "${!name:-}" ]]; then
    echo "${!name}"
    return
  fi
  [[ -r "$CREDENTIALS" ]] && value="$(sed -n "s/^$name=//p" "$CREDENTIALS" | tail -n 1)"
  echo "$value"
}

# True once NODE answers the registry metadata as a Seata client sees it: login with the client role, then
# /metadata/v1/cluster lists a LEADER. Needs curl; without it the ready leader's /health has to do.
serves_metadata() {
  local node="$1" host control group user password token body
  command -v curl >/dev/null 2>&1 || return 0
  read -r host control _ _ <<< "$(endpoints "$node")"
  group="$(conf_value "$node" raft.group)"
  user="$(credential TESSERA_REGISTRY_USERNAME)"
  password="$(credential TESSERA_REGISTRY_PASSWORD)"
  [[ -n "$user" && -n "$password" ]] || return 0
  body="$(curl -sS --max-time 2 -H 'Content-Type: application/json' \
    --data "{\"username\":\"$user\",\"password\":\"$password\"}" "http://$host:$control/api/v1/auth/login" 2>/dev/null)" \
    || return 1
  token="$(sed -n 's/.*"data":"\(Bearer [^"]*\)".*/\1/p' <<< "$body")"
  [[ -n "$token" ]] || return 1
  body="$(curl -sS --max-time 2 -H "Authorization: $token" \
    "http://$host:$control/metadata/v1/cluster?group=${group:-default}" 2>/dev/null)" || return 1
  [[ "$body" == *'"role":"LEADER"'* ]]
}

# Waits until the cluster serves: a ready leader that answers the registry metadata (not merely a leader
# jraft reported: a new leader serves only once it has applied its predecessors' entries).
wait_serving() {
  local deadline=$((SECONDS + START_TIMEOUT)) leader
  while :; do
    if leader="$(ready_leader "$@")" && serves_metadata "$leader"; then
      return 0
    fi
    if (( SECONDS >= deadline )); then
      status
      die "the cluster does not serve within ${START_TIMEOUT}s: no ready leader answering the registry metadata (logs: $DATA_ROOT/<node>/logs/node.log)"
    fi
    sleep 0.2
  done
}

# Waits until NODE follows a leader and has applied what that leader had applied when NODE came up. A node
# that is not a member (UNKNOWN role: joining, or removed) is reported and not waited for.
wait_caught_up() {
  local node="$1" deadline=$((SECONDS + START_TIMEOUT)) body role leader target="" applied unknown=0 leader_body
  while :; do
    body="$(health "$node" || true)"
    role="$(json_field "$body" role)"
    leader="$(json_field "$body" leader)"
    applied="$(json_field "$body" lastAppliedIndex)"
    if [[ "$(json_field "$body" status)" == "halted" ]]; then
      die "$node halted: $(json_field "$body" reason)"
    fi
    if [[ "$role" == "UNKNOWN" ]]; then
      if (( ++unknown >= 8 )); then
        echo "$node is not a member of the cluster's configuration (joining: add it with scripts/cluster.sh add $node)"
        return 0
      fi
    elif [[ -n "$leader" && "$leader" != "null" ]]; then
      unknown=0
      if [[ "$role" == "LEADER" ]]; then
        return 0
      fi
      if [[ -z "$target" ]]; then
        leader_body="$(health "$leader" 2>/dev/null || true)"
        target="$(json_field "$leader_body" lastAppliedIndex)"
      fi
      if [[ -n "$target" && -n "$applied" ]] && (( applied >= target )); then
        return 0
      fi
    fi
    if (( SECONDS >= deadline )); then
      status
      die "$node did not catch up within ${START_TIMEOUT}s (applied ${applied:-?} of ${target:-?}; see $(data_dir "$node")/logs/node.log)"
    fi
    sleep 0.2
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

ensure_admin_jar() {
  if [[ -z "$(admin_jar)" ]]; then
    echo "building the admin jar (mvn -B -ntp -q -DskipTests -pl admin -am package) ..."
    (cd "$REPO" && mvn -B -ntp -q -DskipTests -pl admin -am package)
  fi
  [[ -f "$(admin_jar)" ]] || die "no admin jar (admin/target/tessera-admin-*-cli.jar after the build)"
}

# tessera-admin ARGS with the admin role's credentials (environment first, then credentials.env).
admin() {
  ensure_admin_jar
  TESSERA_ADMIN_USERNAME="$(credential TESSERA_ADMIN_USERNAME)" TESSERA_ADMIN_PASSWORD="$(credential TESSERA_ADMIN_PASSWORD)" \
    java -Dsofa.middleware.log.disable=true -jar "$(admin_jar)" "$@"
}

# Control addresses of the running nodes (except $1), comma separated: what tessera-admin --cluster takes.
running_controls() {
  local except="${1:-}" node host control out=()
  for node in $(all_nodes); do
    [[ "$node" == "$except" ]] && continue
    pid_of "$node" >/dev/null || continue
    read -r host control _ _ <<< "$(endpoints "$node")"
    out+=("$host:$control")
  done
  (IFS=,; echo "${out[*]}")
}

# Every node's own member entry, comma separated (the cluster.members line of a new node's file).
member_entries() {
  local node host control transaction raft out=()
  for node in $(all_nodes); do
    read -r host control transaction raft <<< "$(endpoints "$node")"
    out+=("$node@$host:$control:$transaction:$raft")
  done
  (IFS=,; echo "${out[*]}")
}

# The highest port of one kind (2 control, 3 transaction, 4 raft) over all nodes.
max_port() {
  local kind="$1" node max=0 p
  for node in $(all_nodes); do
    p="$(endpoints "$node" | cut -d' ' -f"$kind")"
    (( p > max )) && max="$p"
  done
  echo "$max"
}

restart_node() {
  local node="$1" began=$SECONDS
  stop_node "$node"
  start_node "$node"
  wait_caught_up "$node"
  # shellcheck disable=SC2046
  wait_serving $(all_nodes)
  echo "$node restarted and caught up ($((SECONDS - began)) s); the cluster serves"
}

# Rolling restart: followers first, the leader last (its graceful stop hands leadership over once).
rolling_restart() {
  local node leader order=()
  # shellcheck disable=SC2046
  leader="$(ready_leader $(all_nodes) || true)"
  for node in $(all_nodes); do
    [[ "$node" == "$leader" ]] || order+=("$node")
  done
  [[ -n "$leader" ]] && order+=("$leader")
  for node in "${order[@]}"; do
    if ! pid_of "$node" >/dev/null; then
      echo "$node not running; starting it"
    fi
    restart_node "$node"
  done
}

# add_node NODE [ENDPOINTS] [OLD]: with OLD, NODE takes OLD's place (tessera-admin member replace).
add_node() {
  local node="$1" endpoints_arg="${2:-}" replaces="${3:-}" template host control transaction raft conf dir
  [[ "$node" =~ ^[A-Za-z0-9._-]{1,64}$ ]] || die "node name must be 1..64 letters, digits, '.', '_', '-'"
  if [[ -f "$GEN_DIR/$node.properties" || -f "$CONF_DIR/$node.properties" ]] && [[ ! -e "$GEN_DIR/$node.removed" ]]; then
    die "$node already exists"
  fi
  template="$(all_nodes | head -n 1)"
  [[ -n "$template" ]] || die "no node to copy the configuration from"
  if [[ -n "$endpoints_arg" ]]; then
    IFS=':' read -r host control transaction raft <<< "$endpoints_arg"
    [[ -n "$raft" ]] || die "endpoints must be HOST:CONTROL:TRANSACTION:RAFT"
  else
    read -r host _ _ _ <<< "$(endpoints "$template")"
    control=$(( $(max_port 2) + 1 ))
    transaction=$(( $(max_port 3) + 1 ))
    raft=$(( $(max_port 4) + 1 ))
  fi
  dir="$(data_dir "$node")"
  [[ ! -e "$dir/raft" ]] || die "$dir already holds Raft state; a new member starts empty (move it aside first)"
  mkdir -p "$GEN_DIR"
  conf="$GEN_DIR/$node.properties"
  {
    echo "# Added by scripts/cluster.sh add on $(date -u +%Y-%m-%dT%H:%M:%SZ), from $template's file. It joined a"
    echo "# running cluster; from its first start on it follows the replicated configuration."
    grep -Ev '^[[:space:]]*(node\.id|cluster\.members|data\.dir|cluster\.join)[[:space:]]*=' "$(conf_file "$template")"
    echo "node.id=$node"
    echo "cluster.members=$(member_entries),$node@$host:$control:$transaction:$raft"
    echo "data.dir=$dir"
    echo "cluster.join=true"
  } > "$conf.tmp"
  mv "$conf.tmp" "$conf"
  rm -f "$GEN_DIR/$node.removed"
  if [[ "$(conf_value "$node" raft.tls.enabled)" != "false" && -z "$(conf_value "$node" raft.tls.keystore)" ]]; then
    [[ -f "$DATA_ROOT/ca/ca.p12" ]] || die "no cluster CA in $DATA_ROOT/ca to issue $node's member certificate"
    ensure_admin_jar
    java -Dsofa.middleware.log.disable=true -jar "$(admin_jar)" tls issue --ca-dir "$DATA_ROOT/ca" --node "$node" \
      --out "$dir" || die "could not issue $node's member certificate"
  fi
  local members
  members="$(running_controls "$node")"
  [[ -n "$members" ]] || die "no running member to add $node to"
  start_node "$node"
  # Its ports open a moment after its pid file appears (the leader asks it who it is over the raft port).
  local waited=0
  until health "$node" >/dev/null; do
    (( waited++ < START_TIMEOUT * 5 )) || die "$node does not answer on its control port (see $(data_dir "$node")/logs/node.log)"
    sleep 0.2
  done
  if [[ -n "$replaces" ]]; then
    admin member replace "$replaces" "$node@$host:$control:$transaction:$raft" --cluster "$members" \
      || die "tessera-admin member replace failed; see tessera-admin member list (scripts/cluster.sh stop $node if it is not a member)"
  else
    admin member add "$node@$host:$control:$transaction:$raft" --cluster "$members" \
      || die "tessera-admin member add failed; $node still runs as a non-member (scripts/cluster.sh stop $node)"
  fi
  wait_caught_up "$node"
}

remove_node() {
  local node="$1" members
  conf_file "$node" >/dev/null
  members="$(running_controls)"
  [[ -n "$members" ]] || die "no running member to remove $node from"
  admin member remove "$node" --cluster "$members" || die "tessera-admin member remove failed"
  set_aside "$node"
}

# Stops a node that left the cluster and sets its config and data aside, so it is never started again.
set_aside() {
  local node="$1" dir aside
  stop_node "$node"
  mkdir -p "$GEN_DIR"
  if [[ -f "$GEN_DIR/$node.properties" ]]; then
    mv "$GEN_DIR/$node.properties" "$GEN_DIR/$node.properties.removed"
  fi
  date -u +%Y-%m-%dT%H:%M:%SZ > "$GEN_DIR/$node.removed"
  dir="$(data_dir "$node")"
  if [[ -d "$dir" ]]; then
    aside="$DATA_ROOT/removed/$node-$(date -u +%Y%m%dT%H%M%SZ)"
    mkdir -p "$DATA_ROOT/removed"
    mv "$dir" "$aside"
    echo "$node's data set aside in $aside (it left the cluster; never start it again with that state)"
  fi
}

status() {
  local node pid body role term health_status ready_body ready host control transaction raft
  for node in $(all_nodes); do
    read -r host control transaction raft <<< "$(endpoints "$node")"
    if pid="$(pid_of "$node")"; then
      body="$(health "$node" || true)"
      role="$(json_field "$body" role)"
      term="$(json_field "$body" term)"
      health_status="$(json_field "$body" status)"
      # /health/ready: a leader known, applied up to the commit index, not halted (503 with reasons otherwise).
      ready_body="$(http_get "$host" "$control" /health/ready || true)"
      ready="$(json_field "$ready_body" status)"
      printf '%-6s pid=%-8s role=%-9s term=%-4s status=%-7s ready=%-9s control=%s:%s transaction=%s:%s raft=%s:%s\n' \
        "$node" "$pid" "${role:-?}" "${term:-?}" "${health_status:-?}" "${ready:-?}" "$host" "$control" "$host" \
        "$transaction" "$host" "$raft"
      if [[ "$ready" == "not-ready" ]]; then
        printf '       not ready: %s\n' "$(sed -n 's/.*"reasons":\[\([^]]*\)\].*/\1/p' <<< "$ready_body")"
      fi
    else
      printf '%-6s %-12s %-14s %-9s control=%s:%s transaction=%s:%s raft=%s:%s\n' \
        "$node" "stopped" "" "" "$host" "$control" "$host" "$transaction" "$host" "$raft"
    fi
  done
}

usage() {
  sed -n '2,31p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 1
}

cmd="${1:-}"
node="${2:-}"
case "$cmd" in
  start|stop|restart|status)
    [[ -n "$(all_nodes)" ]] || die "no node*.properties in $CONF_DIR"
    ;;
esac
case "$cmd" in
  start)
    ensure_jar
    ensure_credentials
    if [[ -n "$node" ]]; then
      conf_file "$node" >/dev/null
      ensure_member_tls "$node"
      start_node "$node"
      wait_caught_up "$node"
    else
      # shellcheck disable=SC2046
      ensure_member_tls $(all_nodes)
      for n in $(all_nodes); do start_node "$n"; done
    fi
    # shellcheck disable=SC2046
    wait_serving $(all_nodes)
    status
    ;;
  stop)
    if [[ -n "$node" ]]; then
      conf_file "$node" >/dev/null
      stop_node "$node"
    else
      # Followers first: the leader then has nobody to hand over to, and the cluster changes leader at most once.
      # shellcheck disable=SC2046
      leader="$(ready_leader $(all_nodes) || true)"
      for n in $(all_nodes); do [[ "$n" == "$leader" ]] || stop_node "$n"; done
      [[ -z "$leader" ]] || stop_node "$leader"
    fi
    ;;
  restart)
    ensure_jar
    if [[ -n "$node" ]]; then
      conf_file "$node" >/dev/null
      restart_node "$node"
    else
      rolling_restart
    fi
    status
    ;;
  add)
    [[ -n "$node" ]] || die "add needs a node name (and optionally HOST:CONTROL:TRANSACTION:RAFT)"
    ensure_jar
    add_node "$node" "${3:-}"
    # shellcheck disable=SC2046
    wait_serving $(all_nodes)
    status
    ;;
  remove)
    [[ -n "$node" ]] || die "remove needs a node name"
    remove_node "$node"
    # shellcheck disable=SC2046
    wait_serving $(all_nodes)
    status
    ;;
  replace)
    [[ -n "$node" && -n "${3:-}" ]] || die "replace needs OLD and NEW (and optionally HOST:CONTROL:TRANSACTION:RAFT)"
    conf_file "$node" >/dev/null
    ensure_jar
    add_node "$3" "${4:-}" "$node"
    set_aside "$node"
    # shellcheck disable=SC2046
    wait_serving $(all_nodes)
    status
    ;;
  transfer-leader)
    members="$(running_controls)"
    [[ -n "$members" ]] || die "no running member"
    if [[ -n "$node" ]]; then
      admin member transfer-leader "$node" --cluster "$members"
    else
      admin member transfer-leader --cluster "$members"
    fi
    # shellcheck disable=SC2046
    wait_serving $(all_nodes)
    status
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
