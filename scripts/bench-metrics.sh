#!/usr/bin/env bash
# What metrics cost on the hot path: the same benchmark against a fresh local cluster with
# metrics.enabled=true (Micrometer meters, Seata's family counted on every replica, jraft's own registry,
# and every node scraped every 5 s with the scrape secret, as Prometheus would) and with
# metrics.enabled=false, alternating (on, off, on, off) so that machine noise hits both modes alike.
# Each round: the protocol generator (tcc2 at 16 and 64 in flight over all nodes) and the real seata-all
# client with the raft registry at 16 threads.
#
#   scripts/bench-metrics.sh [ROUNDS]      (default 2 rounds = 4 clusters, ~12 min)
#
# Run it on a quiet machine only (load average well under the core count). Results: the tables on
# stdout, JSON in bench/target/bench-results/. docs/benchmarks.md, "Cost of metrics".
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS="${1:-2}"
if [[ "$("$REPO/scripts/cluster.sh" status)" == *pid=* ]]; then
  echo "bench-metrics.sh: stop the local cluster first (scripts/cluster.sh stop): each run starts its own" >&2
  exit 1
fi
TOKEN_FILE="$REPO/bench/target/metrics-scrape.token"
mkdir -p "$(dirname "$TOKEN_FILE")"
[[ -s "$TOKEN_FILE" ]] || head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$TOKEN_FILE"
CONTROLS="$(sed -n 's/^cluster.members=//p' "$REPO/cluster-conf/node1.properties" | tr ',' '\n' \
  | sed 's/^[^@]*@\([^:]*\):\([0-9]*\):.*/\1:\2/')"

scrape_loop() {
  while true; do
    for c in $CONTROLS; do
      curl -sS --max-time 2 -o /dev/null -H "Authorization: Bearer $(cat "$TOKEN_FILE")" "http://$c/metrics" || true
    done
    sleep 5
  done
}

for round in $(seq 1 "$ROUNDS"); do
  for enabled in true false; do
    echo "######## round $round, metrics.enabled=$enabled"
    scraper=""
    if [[ "$enabled" == true ]]; then
      scrape_loop &
      scraper=$!
    fi
    TESSERA_METRICS_ENABLED="$enabled" TESSERA_METRICS_TOKEN_FILE="$TOKEN_FILE" \
      TESSERA_DATA_ROOT="$REPO/bench/target/cluster-data-metrics-$enabled-$round-$(date -u +%Y%m%dT%H%M%SZ)" \
      BENCH_WORKLOADS=tcc2 BENCH_CONCURRENCY=16,64 BENCH_ALSO="" BENCH_CLIENT_THREADS=16 \
      BENCH_CLIENT_RAFT_THREADS=16 \
      "$REPO/scripts/bench.sh" --no-ceiling --no-leader-only --no-profile || status=$?
    if [[ -n "$scraper" ]]; then
      kill "$scraper" 2>/dev/null || true
      wait "$scraper" 2>/dev/null || true
    fi
    [[ -z "${status:-}" ]] || exit "$status"
  done
done
