#!/usr/bin/env bash
# Restart time against the number of Raft entries since the last snapshot (docs/benchmarks.md, "Restart
# time"). A restart replays every entry after the node's last snapshot before it serves; this measures
# how long that takes, with snapshots on the timer only (raft.snapshot-log-entries=0: the behaviour
# before) and with snapshots on log growth (the default raft.snapshot-log-entries).
#
#   scripts/restart-time.sh [ENTRIES ...]     default: 50000 150000 450000
#
# For each ENTRIES and each policy, on a fresh three-node cluster of scripts/cluster.sh (own conf, data and
# ports under a temp dir, the shipped cluster-conf timings, member TLS):
#   1. fill: empty transactions (begin + commit: two entries each) from the bench generator (module bench,
#      256 in flight, against the leader) until the leader has applied ENTRIES more entries;
#   2. node: a follower is stopped (SIGTERM) and started; time from the launch of its JVM until it has
#      caught up (cluster.sh start NODE returns: it follows the leader and applied what the leader had);
#   3. cluster: every node is stopped, then all are started; time from the first launch until the cluster
#      serves (cluster.sh start returns: a ready leader answers the registry metadata to a client login).
# One line per case on stdout ("RESTART …"). Environment: RT_PORT_BASE (control ports RT_PORT_BASE..+2,
# transaction +1000, raft +2000; default 37091), RT_KEEP=1 keeps the temp dir, TESSERA_JAVA_OPTS (node JVMs,
# default -Xms128m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 as the failover tests use).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BASE="${RT_PORT_BASE:-37091}"
ENTRIES=("$@")
(( ${#ENTRIES[@]} )) || ENTRIES=(50000 150000 450000)
export TESSERA_JAVA_OPTS="${TESSERA_JAVA_OPTS:--Xms128m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}"
WORK="$(mktemp -d /tmp/tessera-restart-time.XXXXXX)"
GEN_PID=""
cleanup() {
  [[ -n "$GEN_PID" ]] && kill "$GEN_PID" 2>/dev/null || true
  if [[ -n "${TESSERA_CONF_DIR:-}" && -d "${TESSERA_CONF_DIR:-}" ]]; then
    "$REPO/scripts/cluster.sh" stop >/dev/null 2>&1 || true
  fi
  [[ "${RT_KEEP:-0}" == 1 ]] || rm -rf "$WORK"
}
trap cleanup EXIT

jar="$(ls "$REPO"/coordinator/target/tessera-coordinator-*-server.jar 2>/dev/null | head -n 1)"
[[ -n "$jar" ]] || { echo "build first: mvn -B -ntp -q -DskipTests package" >&2; exit 1; }
cp "$jar" "$WORK/server.jar"
export TESSERA_SERVER_JAR="$WORK/server.jar"
# shellcheck source=scripts/bench-common.sh
source "$REPO/scripts/bench-common.sh"
opens="$(jvm_opens)"
CP="$(bench_classpath)"

health_field() {
  curl -sS --max-time 2 "http://127.0.0.1:$1/health" 2>/dev/null | sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p" | head -n 1
}

leader_control() {
  local p
  for p in "$BASE" $((BASE + 1)) $((BASE + 2)); do
    if curl -sS --max-time 2 "http://127.0.0.1:$p/health" 2>/dev/null | grep -q '^{"status":"ok","nodeId":"[^"]*","group":"[^"]*","role":"LEADER"'; then
      echo "$p"
      return 0
    fi
  done
  return 1
}

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

run_case() {
  local entries="$1" policy="$2" dir="$WORK/$1-$2" i members leader start applied0 target follower lead_tx
  mkdir -p "$dir/conf"
  members="node1@127.0.0.1:$BASE:$((BASE + 1000)):$((BASE + 2000)),node2@127.0.0.1:$((BASE + 1)):$((BASE + 1001)):$((BASE + 2001)),node3@127.0.0.1:$((BASE + 2)):$((BASE + 1002)):$((BASE + 2002))"
  for i in 1 2 3; do
    {
      grep -Ev '^[[:space:]]*(#|node\.id|cluster\.members|data\.dir|raft\.snapshot-log-entries)' "$REPO/cluster-conf/node$i.properties" | sed '/^[[:space:]]*$/d'
      echo "node.id=node$i"
      echo "cluster.members=$members"
      echo "data.dir=$dir/data/node$i"
      [[ "$policy" == "time-only" ]] && echo "raft.snapshot-log-entries=0"
    } > "$dir/conf/node$i.properties"
  done
  # Each case is a new cluster with its own generated credentials: forget the previous case's (sourced below).
  unset TESSERA_REGISTRY_USERNAME TESSERA_REGISTRY_PASSWORD TESSERA_ADMIN_USERNAME TESSERA_ADMIN_PASSWORD
  export TESSERA_CONF_DIR="$dir/conf" TESSERA_DATA_ROOT="$dir/data"
  "$REPO/scripts/cluster.sh" start > "$dir/start.log"
  leader="$(leader_control)"
  lead_tx=$((leader + 1000))
  applied0="$(health_field "$leader" lastAppliedIndex)"
  target=$((applied0 + entries))
  set -a
  # shellcheck disable=SC1091
  source "$dir/data/credentials.env"
  set +a
  # shellcheck disable=SC2086
  java $opens -Xms256m -Xmx512m -cp "$CP" io.tessera.bench.BenchCommand --targets "127.0.0.1:$lead_tx" \
    --workloads empty --concurrency 256 --warmup 0 --duration 3600 --max-tx $((entries / 2 + 1000)) \
    > "$dir/generator.log" 2>&1 &
  GEN_PID=$!
  local fill_start
  fill_start="$(now)"
  until (( $(health_field "$leader" lastAppliedIndex || echo 0) >= target )); do
    kill -0 "$GEN_PID" 2>/dev/null || { echo "the generator stopped early: $(tail -n 3 "$dir/generator.log")" >&2; exit 1; }
    sleep 1
  done
  kill "$GEN_PID" 2>/dev/null || true
  wait "$GEN_PID" 2>/dev/null || true
  GEN_PID=""
  local fill_s
  fill_s="$(since "$fill_start")"
  follower="node1"
  [[ "$leader" == "$BASE" ]] && follower="node2"
  local fport=$BASE
  [[ "$follower" == "node2" ]] && fport=$((BASE + 1))
  # The follower has applied everything before it is restarted.
  until (( $(health_field "$fport" lastAppliedIndex || echo 0) >= $(health_field "$leader" lastAppliedIndex || echo 1) )); do
    sleep 0.5
  done
  local replay=$(( $(health_field "$fport" lastAppliedIndex) - $(health_field "$fport" lastSnapshotIndex) ))
  "$REPO/scripts/cluster.sh" stop "$follower" > /dev/null
  start="$(now)"
  "$REPO/scripts/cluster.sh" start "$follower" > "$dir/node-restart.log"
  local node_s
  node_s="$(since "$start")"
  local creplay=$(( $(health_field "$leader" lastAppliedIndex) - $(health_field "$leader" lastSnapshotIndex) ))
  "$REPO/scripts/cluster.sh" stop > /dev/null
  start="$(now)"
  "$REPO/scripts/cluster.sh" start > "$dir/cluster-restart.log"
  local cluster_s
  cluster_s="$(since "$start")"
  "$REPO/scripts/cluster.sh" stop > /dev/null
  printf 'RESTART entries=%s policy=%s filled in %s s; node: %s entries since its snapshot, ready after %s s; cluster: %s entries since the leader'"'"'s snapshot, serving after %s s\n' \
    "$entries" "$policy" "$fill_s" "$replay" "$node_s" "$creplay" "$cluster_s"
}

echo "== machine: $(nproc) cpus; load: $(cut -d' ' -f1-3 /proc/loadavg); node JVMs: $TESSERA_JAVA_OPTS"
for n in "${ENTRIES[@]}"; do
  run_case "$n" time-only
  run_case "$n" log-growth
done
