#!/usr/bin/env bash
# The fuzzer against live nodes (issue 16): three real node processes (scripts/cluster.sh, client
# authentication on), structure-aware Seata frames on the transaction port, HTTP requests on the control
# port, bolt frames on the (member-TLS) raft port, all from one seed. Between batches every node must be
# ready, a real transaction must commit through the seata-all client, and each node's file descriptors
# and memory must stay within bounds; at the end every replica must hold the same state digest.
#
#   scripts/fuzz.sh [--inputs N] [--seed S] [--target tx|http|raft|all] [--batch B] [--workers W]
#                   [--until 2026-12-31T23:00:00Z]   no batch starts after this instant (the end checks run)
#   scripts/fuzz.sh --replay SEED:INDEX[-LAST]     re-send one input (or a range) to a fresh cluster
#
# Defaults: 1000000 inputs, seed = the current time (printed), target all, batches of 5000, 32 workers (connections in flight).
# A failure prints the seed, the input index, its description and a hexdump, and the replay command.
# Figures: compat-tests/target/fuzz-report.txt; node logs: compat-tests/target/fuzz-logs.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

inputs=1000000
seed="$(date +%s)"
target=all
batch=5000
workers=32
replay=""
until=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --inputs) inputs="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --target) target="$2"; shift 2 ;;
    --batch) batch="$2"; shift 2 ;;
    --workers) workers="$2"; shift 2 ;;
    --replay) replay="$2"; shift 2 ;;
    --until) until="$2"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "fuzz.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
case "$target" in tx|http|raft|all) ;; *) echo "fuzz.sh: --target must be tx, http, raft or all" >&2; exit 2 ;; esac

cd "$REPO"
if ! ls coordinator/target/tessera-coordinator-*-server.jar >/dev/null 2>&1 \
    || ! ls admin/target/tessera-admin-*-cli.jar >/dev/null 2>&1; then
  echo "building the server and admin jars ..." >&2
  mvn -B -ntp -q -DskipTests -pl coordinator,admin -am package
fi
if [[ -n "$replay" ]]; then
  echo "fuzz.sh: replaying $replay (target $target)"
else
  echo "fuzz.sh: $inputs inputs, seed $seed, target $target (replay any input with --replay $seed:INDEX)"
fi
# Only the default surefire execution: the fuzzer's seata-all client version does not matter.
exec mvn -B -ntp -pl compat-tests -am test-compile surefire:test@default-test \
  -Dtest=LiveNodeFuzzTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfuzz.inputs="$inputs" -Dfuzz.seed="$seed" -Dfuzz.target="$target" -Dfuzz.batch="$batch" \
  -Dfuzz.workers="$workers" -Dfuzz.replay="$replay" -Dfuzz.until="$until"
