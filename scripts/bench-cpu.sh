#!/usr/bin/env bash
# Server CPU per transaction and at idle, all node processes together (utime + stime from /proc), for
# one build of the node. For each build given: a fresh local cluster from that build's own
# scripts/cluster.sh, cluster-conf/ and server jar; then
#   0. warm-up: the real client at 16 threads over all nodes for WARMUP_LOAD seconds, not measured;
#   1. idle: the cluster with no client for IDLE seconds (after a settle period), in cores, and which
#      threads used it (per node, thread names with digits folded);
#   2. the real seata-all client (io.tessera.bench.SeataClientBench, two-branch TCC) at each thread count,
#      once with Seata's raft registry (every request to the leader) and once with the file registry over
#      all three nodes (followers forward): tx/s, p99, server cores and server CPU ms per transaction.
# Builds are measured one after the other, alternating over ROUNDS, so that machine noise hits all alike.
#
#   scripts/bench-cpu.sh [--rounds N] [--threads 1,16,64] [--idle SECONDS] [--duration SECONDS] \
#                        [--warmup SECONDS] [--settle SECONDS] [--warmup-load SECONDS] \
#                        LABEL=REPO_DIR [LABEL=REPO_DIR ...]
#   e.g. git worktree add /tmp/before <commit>; (cd /tmp/before && mvn -q -o package -DskipTests -pl coordinator -am)
#        scripts/bench-cpu.sh before=/tmp/before after=.
#
# Quiet machine only. Results: a table on stdout, raw lines in bench/target/bench-results/cpu-*.txt.
# docs/benchmarks.md, "Server CPU per transaction".
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS=1
THREADS="1,16,64"
IDLE=60
SETTLE=30
WARMUP_LOAD=60
WARMUP=20
DURATION=20
BUILDS=()
while (( $# )); do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --idle) IDLE="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --settle) SETTLE="$2"; shift 2 ;;
    --warmup-load) WARMUP_LOAD="$2"; shift 2 ;;
    *=*) BUILDS+=("$1"); shift ;;
    *) echo "bench-cpu.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
(( ${#BUILDS[@]} )) || BUILDS=("current=$REPO")
if [[ "$("$REPO/scripts/cluster.sh" status)" == *pid=* ]]; then
  echo "bench-cpu.sh: stop the local cluster first (scripts/cluster.sh stop): each run starts its own" >&2
  exit 1
fi
OUT="$REPO/bench/target/bench-results"
mkdir -p "$OUT"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RAW="$OUT/cpu-$STAMP.txt"

# jvm_opens, bench_classpath, member_addresses, thread_cpu
# shellcheck source=scripts/bench-common.sh
source "$REPO/scripts/bench-common.sh"
CP="$(bench_classpath)"

# utime+stime jiffies of a process.
proc_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }

CURRENT_DIR=""
cleanup() {
  [[ -z "$CURRENT_DIR" ]] || TESSERA_DATA_ROOT="$DATA" "$CURRENT_DIR/scripts/cluster.sh" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

measure_build() {
  local label="$1" dir="$2" jar status pids control targets
  jar="$(ls "$dir"/coordinator/target/tessera-coordinator-*-server.jar | head -n 1)"
  DATA="$REPO/bench/target/cluster-data-cpu-$label-$(date -u +%Y%m%dT%H%M%SZ)"
  mkdir -p "$DATA"
  cp "$jar" "$DATA/server.jar" # a private copy: a rebuild must not pull classes from under a running JVM
  CURRENT_DIR="$dir"
  TESSERA_DATA_ROOT="$DATA" TESSERA_SERVER_JAR="$DATA/server.jar" "$dir/scripts/cluster.sh" start >/dev/null
  for _ in $(seq 1 120); do
    status="$(TESSERA_DATA_ROOT="$DATA" "$dir/scripts/cluster.sh" status)"
    [[ "$status" == *role=LEADER* ]] && break
    sleep 0.5
  done
  pids="$(sed -n 's/.*pid=\([0-9]*\).*/\1/p' <<< "$status" | paste -sd, -)"
  read -r targets control <<< "$(member_addresses "$dir/cluster-conf/node1.properties")"
  # The client role's login when this build has one (cluster.sh generated it at the first start).
  unset TESSERA_REGISTRY_USERNAME TESSERA_REGISTRY_PASSWORD
  local login=(--no-login)
  if [[ -f "$DATA/credentials.env" ]]; then
    set -a; source "$DATA/credentials.env"; set +a
    login=()
  fi

  # Warm-up: one untimed client run over all nodes (forwarding included) so that the JIT has compiled
  # the paths under test before anything is measured (otherwise the compiler threads are most of the
  # first minute's CPU, and of the idle window right after a start), then a quiet settle.
  java $(jvm_opens) -Xms256m -Xmx512m -cp "$CP" io.tessera.bench.SeataClientBench --targets "$targets" \
    --threads 16 --warmup "$WARMUP_LOAD" --duration 5 >>"$DATA/client.out" 2>>"$DATA/client.log" || true
  sleep "$SETTLE"
  local p i0 i1
  i0=0; for p in ${pids//,/ }; do i0=$(( i0 + $(proc_ticks "$p") )); thread_cpu "$p" > "$DATA/idle-threads-$p-0.txt"; done
  sleep "$IDLE"
  i1=0; for p in ${pids//,/ }; do i1=$(( i1 + $(proc_ticks "$p") )); thread_cpu "$p" > "$DATA/idle-threads-$p-1.txt"; done
  local idle_cores
  idle_cores="$(awk -v a="$i0" -v b="$i1" -v s="$IDLE" 'BEGIN { printf "%.3f", (b - a) / 100 / s }')"
  echo "IDLE build=$label cores=$idle_cores seconds=$IDLE" | tee -a "$RAW"
  for p in ${pids//,/ }; do
    # Top thread groups of this node over the idle window, in cores.
    join <(sort "$DATA/idle-threads-$p-0.txt") <(sort "$DATA/idle-threads-$p-1.txt") \
      | awk -v s="$IDLE" -v pid="$p" -v b="$label" '{ d = ($3 - $2) / 100 / s; if (d > 0) printf "IDLE_THREAD build=%s pid=%s %s %.4f\n", b, pid, $1, d }' \
      | sort -k5 -rn | head -n 8 | tee -a "$RAW"
  done

  local n mode args line
  for n in ${THREADS//,/ }; do
    for mode in raft file; do
      if [[ "$mode" == raft ]]; then args=(--control "$control" "${login[@]}"); else args=(--targets "$targets"); fi
      for p in ${pids//,/ }; do thread_cpu "$p" > "$DATA/load-threads-$p-0.txt"; done
      line="$(java $(jvm_opens) -Xms256m -Xmx512m -cp "$CP" io.tessera.bench.SeataClientBench "${args[@]}" \
        --threads "$n" --warmup "$WARMUP" --duration "$DURATION" --server-pids "$pids" \
        --json "$OUT/cpu-$label-$mode-$n-$STAMP.json" 2>>"$DATA/client.log" \
        | tee -a "$DATA/client.out" | grep '^SERVER_CPU' || true)"
      echo "LOAD build=$label registry=$mode ${line#SERVER_CPU }" | tee -a "$RAW"
      for p in ${pids//,/ }; do
        # Which threads worked, per node, over the whole client run (warm-up included), in CPU seconds.
        thread_cpu "$p" > "$DATA/load-threads-$p-1.txt"
        join <(sort "$DATA/load-threads-$p-0.txt") <(sort "$DATA/load-threads-$p-1.txt") \
          | awk -v pid="$p" -v b="$label" -v m="$mode" -v n="$n" '{ d = ($3 - $2) / 100; if (d > 0) printf "LOAD_THREAD build=%s registry=%s threads=%s pid=%s %s %.2f\n", b, m, n, pid, $1, d }' \
          | sort -k7 -rn | head -n 6 >> "$RAW"
      done
    done
  done
  TESSERA_DATA_ROOT="$DATA" "$dir/scripts/cluster.sh" stop >/dev/null
  CURRENT_DIR=""
}

echo "== machine: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1), $(nproc) cpus; load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$RAW"
for round in $(seq 1 "$ROUNDS"); do
  for b in "${BUILDS[@]}"; do
    echo "######## round $round, build ${b%%=*} (${b#*=})" | tee -a "$RAW"
    measure_build "${b%%=*}" "$(cd "${b#*=}" && pwd)"
  done
done
echo "== load at the end: $(cut -d' ' -f1-3 /proc/loadavg); raw lines: $RAW"
