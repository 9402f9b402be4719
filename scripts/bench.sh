#!/usr/bin/env bash
# The standard benchmark suite: one command reproduces every figure of docs/benchmarks.md
# ("End-to-end throughput and latency").
#
#   scripts/bench.sh [--targets HOST:PORT,...] [--control HOST:PORT,...] [--quick] [--no-ceiling] [--no-client]
#                    [--no-leader-only] [--no-profile] [--profile-only]
#
# Without --targets it uses the local cluster of scripts/cluster.sh, starting it if no node runs
# (and stopping it again at the end if it started it). Steps:
#   1. protocol generator (module bench): workloads empty, tcc2, at, mix x closed-loop concurrency
#      1, 16, 64 (one 25 s warm-up, then 3 s before each run, 10 s measured per run), then tcc2 at
#      256 in flight (server ceiling) and tcc2 open loop at 200 tx/s (coordinated-omission-corrected);
#   1b. (local cluster) tcc2 x 1/16/64/256 with the leader as the only target, as a client
#      using the raft registry would;
#   2. replication ceiling in the same session: raft-state-machine's ReplicationBenchmark, scenarios
#      "raw" (bare jraft, no-op FSM) and "noop" (our RaftGroup, no-op target), 3 members in one JVM,
#      256 in flight;
#   3. real seata-all client: two-branch TCC, 16 threads, file registry over all targets;
#   3b. the same client with Seata's raft registry (--control, or the local cluster's control ports):
#      1, 16, 64 threads;
#   4. (local cluster only) JFR profile of the leader under tcc2 at 64 in flight, summarised by
#      io.tessera.bench.JfrTop (--profile-only runs just this step).
# --quick shortens everything (smoke test, figures not comparable). Results: the tables on stdout,
# JSON in bench/target/bench-results/. Environment: BENCH_WARMUP, BENCH_WARMUP_EACH, BENCH_DURATION,
# BENCH_WORKLOADS, BENCH_CONCURRENCY, BENCH_CLIENT_THREADS, BENCH_CLIENT_RAFT_THREADS.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$REPO/bench/target/bench-results"
TARGETS=""
CONTROL=""
QUICK=0
CEILING=1
CLIENT=1
SUITE=1
PROFILE=1
LEADER_ONLY=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --targets) TARGETS="$2"; shift 2 ;;
    --control) CONTROL="$2"; shift 2 ;;
    --quick) QUICK=1; shift ;;
    --no-ceiling) CEILING=0; shift ;;
    --no-client) CLIENT=0; shift ;;
    --profile-only) SUITE=0; CEILING=0; CLIENT=0; shift ;;
    --no-profile) PROFILE=0; shift ;;
    --no-leader-only) LEADER_ONLY=0; shift ;;
    -h|--help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench.sh: unknown argument $1" >&2; exit 1 ;;
  esac
done

WARMUP="${BENCH_WARMUP:-25}"
WARMUP_EACH="${BENCH_WARMUP_EACH:-3}"
DURATION="${BENCH_DURATION:-10}"
WORKLOADS="${BENCH_WORKLOADS:-empty,tcc2,at,mix}"
CONCURRENCY="${BENCH_CONCURRENCY:-1,16,64}"
CLIENT_THREADS="${BENCH_CLIENT_THREADS:-16}"
CLIENT_RAFT_THREADS="${BENCH_CLIENT_RAFT_THREADS:-1,16,64}"
ALSO="${BENCH_ALSO-tcc2@256,tcc2@200/s}"
CEIL_WARMUP=20
CEIL_MEASURE=8
CLIENT_WARMUP=20
CLIENT_DURATION=15
if (( QUICK )); then
  WARMUP=3; WARMUP_EACH=1; DURATION=3; CEIL_WARMUP=3; CEIL_MEASURE=3; CLIENT_WARMUP=3; CLIENT_DURATION=3
fi

# jvm_opens, bench_classpath, member_addresses, thread_cpu
# shellcheck source=scripts/bench-common.sh
source "$REPO/scripts/bench-common.sh"

# "transaction control" addresses of the local cluster, from cluster-conf (node1's member list).
local_addresses() { member_addresses "${TESSERA_CONF_DIR:-$REPO/cluster-conf}/node1.properties"; }

# `cluster.sh start` from a private copy of the server jar: the shared tree's jar is rebuilt by
# other work at any time, and a running JVM whose jar is replaced loses classes
# (NoClassDefFoundError mid-run).
start_private_cluster() {
  local jar
  jar="$(ls "$REPO"/coordinator/target/tessera-coordinator-*-server.jar 2>/dev/null | head -n 1)"
  [[ -n "$jar" ]] || (cd "$REPO" && mvn -B -ntp -q -o -pl coordinator -am install -DskipTests)
  jar="$(ls "$REPO"/coordinator/target/tessera-coordinator-*-server.jar | head -n 1)"
  mkdir -p "$TESSERA_DATA_ROOT"
  cp "$jar" "$TESSERA_DATA_ROOT/server.jar"
  TESSERA_SERVER_JAR="$TESSERA_DATA_ROOT/server.jar" "$REPO/scripts/cluster.sh" start
}

STARTED_CLUSTER=0
cleanup() {
  if (( STARTED_CLUSTER )); then
    "$REPO/scripts/cluster.sh" stop || true
  fi
}
trap cleanup EXIT

TARGETS_GIVEN="$TARGETS"
if [[ -n "$TARGETS" ]]; then
  PROFILE=0 # the leader's JVM is only reachable when it is our local cluster
else
  read -r TARGETS LOCAL_CONTROL <<< "$(local_addresses)"
  CONTROL="${CONTROL:-$LOCAL_CONTROL}"
  if [[ "$("$REPO/scripts/cluster.sh" status)" != *pid=* ]]; then
    # A fresh data root per run: <repo>/data carries whatever earlier sessions left (open globals
    # timing out, phase-two retries of vanished RMs), which the leader would be busy with.
    export TESSERA_DATA_ROOT="${TESSERA_DATA_ROOT:-$REPO/bench/target/cluster-data-$(date -u +%Y%m%dT%H%M%SZ)}"
    # jraft (NodeImpl's static init) installs a Java handler for SIGUSR2, which is also HotSpot's
    # thread suspend signal: every JFR execution sample then ran jraft's metric dump instead of
    # sampling. Moving HotSpot's suspend signal elsewhere keeps the profile honest.
    export _JAVA_SR_SIGNUM="${_JAVA_SR_SIGNUM:-40}"
    start_private_cluster
    STARTED_CLUSTER=1
  fi
  # cluster.sh returns once any node names a leader; wait until one reports itself LEADER.
  for _ in $(seq 1 120); do
    # (not a pipe into grep -q: with pipefail, the early close fails the pipeline)
    [[ "$("$REPO/scripts/cluster.sh" status)" == *role=LEADER* ]] && break
    sleep 0.5
  done
  "$REPO/scripts/cluster.sh" status
  # The client role's login for the raft-registry runs (cluster.sh generated it at the first start).
  CREDS="${TESSERA_DATA_ROOT:-$REPO/data}/credentials.env"
  if [[ -f "$CREDS" ]]; then
    set -a
    # shellcheck disable=SC1090
    source "$CREDS"
    set +a
  fi
fi

# The generator and its classpath (offline; the modules it needs come from ~/.m2).
CP="$(bench_classpath)"
mkdir -p "$OUT"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"

JAR_STAMP="$(stat -c %Y "$REPO"/coordinator/target/tessera-coordinator-*-server.jar 2>/dev/null | head -n 1)"
echo "== machine: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1), $(nproc) cpus; load: $(cut -d' ' -f1-3 /proc/loadavg)"

if (( SUITE )); then
echo "== 1. protocol generator: workloads $WORKLOADS x concurrency $CONCURRENCY"
# shellcheck disable=SC2046
java $(jvm_opens) -Xms256m -Xmx512m -cp "$CP" io.tessera.bench.BenchCommand \
  --targets "$TARGETS" ${CONTROL:+--control "$CONTROL"} --workloads "$WORKLOADS" --concurrency "$CONCURRENCY" \
  ${ALSO:+--also "$ALSO"} --warmup "$WARMUP" --warmup-each "$WARMUP_EACH" --duration "$DURATION" --json "$OUT/generator-$STAMP.json"
echo "   load after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ -z "$TARGETS_GIVEN" ]] && (( LEADER_ONLY )); then
  # What a client with the raft registry does: send everything to the leader (no forwarding).
  ST="$("$REPO/scripts/cluster.sh" status)"
  LEADER_TX="$(sed -n 's/.*role=LEADER.*transaction=\([0-9.:]*\).*/\1/p' <<< "$ST" | head -n 1)"
  LEADER_CTL="$(sed -n 's/.*role=LEADER.*control=\([0-9.:]*\) .*/\1/p' <<< "$ST" | head -n 1)"
  echo "== 1b. leader only ($LEADER_TX): tcc2 x concurrency 1,16,64,256"
  # shellcheck disable=SC2046
  java $(jvm_opens) -Xms256m -Xmx512m -cp "$CP" io.tessera.bench.BenchCommand --targets "$LEADER_TX" \
    ${LEADER_CTL:+--control "$LEADER_CTL"} --workloads tcc2 --concurrency 1,16,64,256 \
    --warmup "$WARMUP_EACH" --warmup-each "$WARMUP_EACH" --duration "$DURATION" \
    --json "$OUT/leader-only-$STAMP.json" | grep -v '^run \|^  [0-9,]* tx/s'
fi
fi

if (( CEILING )); then
  RSM="$REPO/raft-state-machine"
  RB_SRC="$RSM/src/test/java/io/tessera/raft/group/bench/ReplicationBenchmark.java"
  SCEN="noop"
  grep -q '"raw"' "$RB_SRC" && SCEN="raw,noop"
  echo "== 2. replication ceiling (ReplicationBenchmark $SCEN, 3 members in one JVM, 256 in flight)"
  RB_CLASS="$RSM/target/test-classes/io/tessera/raft/group/bench/ReplicationBenchmark.class"
  if [[ ! -f "$RB_CLASS" || "$RB_SRC" -nt "$RB_CLASS" ]]; then
    (cd "$REPO" && mvn -B -ntp -q -o -pl raft-state-machine test-compile)
  fi
  RSM_CP_FILE="$REPO/bench/target/rsm-test-classpath.txt"
  if [[ ! -s "$RSM_CP_FILE" ]]; then
    (cd "$REPO" && mvn -B -ntp -q -o -pl raft-state-machine dependency:build-classpath \
      -Dmdep.includeScope=test -Dmdep.outputFile="$RSM_CP_FILE")
  fi
  # shellcheck disable=SC2046
  java $(jvm_opens) -Dsofa.middleware.log.disable=true -Dbench.scenarios="$SCEN" -Dbench.warmupSec="$CEIL_WARMUP" \
    -Dbench.measureSec="$CEIL_MEASURE" -Dbench.inflight=256 \
    -cp "$RSM/target/test-classes:$RSM/target/classes:$(cat "$RSM_CP_FILE")" \
    io.tessera.raft.group.bench.ReplicationBenchmark 2>/dev/null | grep -E '^RESULT|^\|' || echo "   (ceiling run failed)"
fi

if (( CLIENT )); then
  echo "== 3. real seata-all client: tcc2, $CLIENT_THREADS threads"
  # shellcheck disable=SC2046
  java $(jvm_opens) -Xms256m -Xmx512m -cp "$CP" io.tessera.bench.SeataClientBench --targets "$TARGETS" \
    --threads "$CLIENT_THREADS" --warmup "$CLIENT_WARMUP" --duration "$CLIENT_DURATION" \
    --json "$OUT/seata-client-$STAMP.json" 2> "$OUT/seata-client-$STAMP.log" \
    || echo "   (client run failed; see $OUT/seata-client-$STAMP.log)"
  # The same client with Seata's raft registry (the node list users configure): it finds the leader
  # over the control ports and sends every request there. CONTROL is --control, or the local cluster's.
  if [[ -n "$CONTROL" ]]; then
    for t in ${CLIENT_RAFT_THREADS//,/ }; do
      echo "== 3b. real seata-all client, raft registry ($CONTROL): tcc2, $t threads"
      # shellcheck disable=SC2046
      java $(jvm_opens) -Xms256m -Xmx512m -cp "$CP" io.tessera.bench.SeataClientBench --control "$CONTROL" \
        --threads "$t" --warmup "$CLIENT_WARMUP" --duration "$CLIENT_DURATION" \
        --json "$OUT/seata-client-raft-$t-$STAMP.json" 2> "$OUT/seata-client-raft-$t-$STAMP.log" \
        || echo "   (client run failed; see $OUT/seata-client-raft-$t-$STAMP.log)"
    done
  fi
fi
if (( PROFILE )); then
  echo "== 4. JFR profile of the leader under tcc2, 64 in flight"
  LEADER_PID="$("$REPO/scripts/cluster.sh" status | sed -n 's/.*pid=\([0-9]*\) *role=LEADER.*/\1/p' | head -n 1)"
  if [[ -z "$LEADER_PID" ]]; then
    echo "   no leader found; skipping the profile"
  else
    JFR_FILE="$OUT/leader-$STAMP.jfr"
    P_WARM=15; P_MEASURE=25; P_REC=20
    if (( QUICK )); then P_WARM=3; P_MEASURE=8; P_REC=5; fi
    # shellcheck disable=SC2046
    java $(jvm_opens) -Xms256m -Xmx512m -cp "$CP" io.tessera.bench.BenchCommand --targets "$TARGETS" \
      ${CONTROL:+--control "$CONTROL"} --workloads tcc2 --concurrency 64 --warmup "$P_WARM" --duration "$P_MEASURE" \
      --json "$OUT/profiled-$STAMP.json" > "$OUT/profiled-$STAMP.txt" 2>&1 &
    GEN=$!
    sleep "$((P_WARM + 2))"
    # method-profiling=max: on this overloaded 2-core box the default 20 ms sampler got almost no samples.
    jcmd "$LEADER_PID" JFR.start name=bench settings=profile method-profiling=max duration="${P_REC}s" \
      filename="$JFR_FILE" > /dev/null
    # Per-thread CPU of the leader over the same window, from /proc (exact, unlike sampling).
    thread_cpu "$LEADER_PID" > "$OUT/threads-before-$STAMP.txt"
    sleep "$P_REC"
    thread_cpu "$LEADER_PID" > "$OUT/threads-after-$STAMP.txt"
    wait "$GEN" || true
    grep -E '^\| tcc2' "$OUT/profiled-$STAMP.txt" || tail -n 5 "$OUT/profiled-$STAMP.txt"
    while [[ ! -s "$JFR_FILE" ]] && kill -0 "$LEADER_PID" 2>/dev/null; do sleep 1; done
    echo "-- leader CPU by thread group over ${P_REC} s (cores = jiffies / 100 / seconds)"
    awk -v secs="$P_REC" 'NR==FNR { before[$1] = $2; next }
      { d[$1] += $2 - before[$1]; total += $2 - before[$1] }
      END { for (k in d) printf "  %6.2f cores  %5.1f %%  %s\n", d[k] / 100 / secs, 100 * d[k] / (total ? total : 1), k }' \
      "$OUT/threads-before-$STAMP.txt" "$OUT/threads-after-$STAMP.txt" | sort -rn | head -n 20
    java -cp "$CP" io.tessera.bench.JfrTop "$JFR_FILE" 25
  fi
fi
if [[ -z "$TARGETS_GIVEN" && "$(stat -c %Y "$REPO"/coordinator/target/tessera-coordinator-*-server.jar 2>/dev/null | head -n 1)" != "$JAR_STAMP" ]]; then
  echo "!! the server jar was rebuilt during the run: running nodes lost classes; figures are INVALID" >&2
fi
echo "== done; load: $(cut -d' ' -f1-3 /proc/loadavg); JSON in $OUT"
