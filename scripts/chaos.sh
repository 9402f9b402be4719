#!/usr/bin/env bash
# Chaos run (docs/chaos.md): three node processes, each on its own loopback address and user, the real
# seata-all client under TCC and AT load, faults from a seeded schedule (kill -9 + restart, SIGSTOP/SIGCONT,
# iptables partitions, CPU starvation, combinations), then the checker over client, RM and cluster records.
#
#   scripts/chaos.sh [--duration SECONDS] [--seed N] [--faults KIND,KIND...] [--threads N] [--no-build]
#
#   --duration  seconds of faults (default 600); the run then waits for every transaction to end and checks
#   --seed      the schedule's seed (default: random, printed; give it again to replay a failing run)
#   --faults    among KILL_LEADER KILL_FOLLOWER PAUSE_LEADER PAUSE_FOLLOWER ISOLATE_LEADER SPLIT ONE_WAY
#               CPU_STARVE COMBO (default all)
#   --no-build  use the server and admin jars already built
#
# Runs as root (iptables, per-node users). It goes through Maven surefire (ChaosTest in compat-tests) and
# prints the CHAOS lines at the end: per fault kind, faults injected, transactions, failed transactions,
# violations, time to the first new commit, elections, recovery time. The full output stays in
# compat-tests/target/chaos-<seed>.log (Maven) and chaos-<seed>-output.txt (the test's), the node logs of the last run in compat-tests/target/chaos-logs.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION=600
SEED="$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')"
FAULTS=all
THREADS=6
BUILD=1
while (( $# )); do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --faults) FAULTS="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "chaos.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ "$DURATION" =~ ^[0-9]+$ && "$SEED" =~ ^-?[0-9]+$ && "$THREADS" =~ ^[0-9]+$ ]] || { echo "chaos.sh: numbers expected" >&2; exit 2; }

cd "$REPO"
if (( BUILD )); then
  mvn -B -ntp -q package -DskipTests -pl coordinator,admin -am
fi
mkdir -p compat-tests/target
LOG="compat-tests/target/chaos-$SEED.log"
echo "chaos.sh: seed $SEED, $DURATION s of faults ($FAULTS); output in $LOG"
rm -f "compat-tests/target/surefire-reports/io.tessera.compat.chaos.ChaosTest-output.txt"
set +e
# -am: compat-tests compiles against the modules of this tree, not a stale installed copy.
mvn -B -ntp test -pl compat-tests -am -Dtest=ChaosTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dchaos.duration="$DURATION" -Dchaos.seed="$SEED" -Dchaos.faults="$FAULTS" -Dchaos.threads="$THREADS" \
  > "$LOG" 2>&1
rc=$?
set -e
# surefire keeps the test's own output in its report directory (redirectTestOutputToFile)
OUT="compat-tests/target/surefire-reports/io.tessera.compat.chaos.ChaosTest-output.txt"
[[ -f "$OUT" ]] && cp "$OUT" "compat-tests/target/chaos-$SEED-output.txt"
grep -E '^CHAOS (seed|run|checked|kind|[A-Z_]+ +[0-9]|failed|VIOLATION|replay)' "$OUT" 2>/dev/null || true
grep -E 'Tests run:.*Fail|BUILD (SUCCESS|FAILURE)' "$LOG" | tail -n 2
exit $rc
