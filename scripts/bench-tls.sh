#!/usr/bin/env bash
# What member TLS costs: the same benchmark against a fresh local cluster with the raft port on mutual
# TLS and on plain TCP, alternating (tls, plain, tls, plain) so that machine noise hits both modes alike.
# Each round: the protocol generator (tcc2 at 16 and 64 in flight, over all nodes, so followers forward
# over the raft port) and the real seata-all client with the raft registry at 16 threads.
#
#   scripts/bench-tls.sh [ROUNDS]      (default 2 rounds = 4 clusters, ~12 min)
#
# Results: the tables on stdout, JSON in bench/target/bench-results/ (one file set per round and mode).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS="${1:-2}"
if [[ "$("$REPO/scripts/cluster.sh" status)" == *pid=* ]]; then
  echo "bench-tls.sh: stop the local cluster first (scripts/cluster.sh stop): each run starts its own" >&2
  exit 1
fi
for round in $(seq 1 "$ROUNDS"); do
  for tls in true false; do
    echo "######## round $round, raft.tls.enabled=$tls"
    TESSERA_RAFT_TLS_ENABLED="$tls" \
      TESSERA_DATA_ROOT="$REPO/bench/target/cluster-data-tls-$tls-$round-$(date -u +%Y%m%dT%H%M%SZ)" \
      BENCH_WORKLOADS=tcc2 BENCH_CONCURRENCY=16,64 BENCH_ALSO="" BENCH_CLIENT_THREADS=16 \
      BENCH_CLIENT_RAFT_THREADS=16 \
      "$REPO/scripts/bench.sh" --no-ceiling --no-leader-only --no-profile
  done
done
