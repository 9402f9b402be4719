#!/usr/bin/env bash
# examples/transfer/run.sh: two bank services move money between their own PostgreSQL databases in one
# Seata AT global transaction, coordinated by a three-node Tessera cluster. One command:
#
#   examples/transfer/run.sh
#
# It builds what it needs (the node, the admin CLI, the example), starts the cluster with
# scripts/cluster.sh (unless it already runs), starts bank-b (credits; refuses more than 500 per transfer)
# and bank-a (pays; begins the global transaction), makes one transfer that commits and one that bank-b
# refuses, prints the balances before and after each, and stops what it started.
#
# Environment: BANK_A_PORT (default 18081), BANK_B_PORT (18082), SKIP_BUILD=1 (use what is built),
# TESSERA_CONF_DIR / TESSERA_DATA_ROOT (as for scripts/cluster.sh). Logs: examples/transfer/target/run/.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
RUN="$HERE/target/run"
CONF_DIR="${TESSERA_CONF_DIR:-$REPO/cluster-conf}"
DATA_ROOT="${TESSERA_DATA_ROOT:-$REPO/data}"
BANK_A_PORT="${BANK_A_PORT:-18081}"
BANK_B_PORT="${BANK_B_PORT:-18082}"
BANK_A="http://127.0.0.1:$BANK_A_PORT"
BANK_B="http://127.0.0.1:$BANK_B_PORT"
LIMIT=500

die() { echo "run.sh: $*" >&2; exit 1; }
say() { printf '\n== %s\n' "$*"; }
command -v curl >/dev/null 2>&1 || die "needs curl"

pids=()
started_cluster=0
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if (( started_cluster )); then
    say "stopping the Tessera cluster"
    "$REPO/scripts/cluster.sh" stop || true
  fi
}
trap cleanup EXIT

for port in "$BANK_A_PORT" "$BANK_B_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port is in use (set BANK_A_PORT / BANK_B_PORT)"
  fi
done

if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  say "building the node, the admin CLI and the example (mvn package -DskipTests)"
  (cd "$REPO" && mvn -B -ntp -q -DskipTests package -pl coordinator,admin,examples/transfer -am)
fi

say "starting the Tessera cluster (scripts/cluster.sh start)"
if "$REPO/scripts/cluster.sh" status | grep -q 'pid='; then
  echo "a node of $CONF_DIR already runs: using that cluster"
else
  started_cluster=1
fi
"$REPO/scripts/cluster.sh" start

# The client's registry settings: every node's control address, and the client role's credentials that
# scripts/cluster.sh generated into <data-root>/credentials.env (the environment wins, as for the nodes).
server_addr="$(sed -n 's/^[[:space:]]*cluster\.members[[:space:]]*=[[:space:]]*//p' "$CONF_DIR"/node1.properties \
  | tr ',' '\n' | sed 's/^[^@]*@\([^:]*\):\([0-9]*\):.*/\1:\2/' | paste -sd, -)"
credential() {
  local name="$1"
  if [[ -n "${!name:-}" ]]; then echo "${!name}"; return; fi
  sed -n "s/^$name=//p" "$DATA_ROOT/credentials.env" | tail -n 1
}
user="$(credential TESSERA_REGISTRY_USERNAME)"
password="$(credential TESSERA_REGISTRY_PASSWORD)"
[[ -n "$user" && -n "$password" ]] || die "no client credentials in $DATA_ROOT/credentials.env"

# PostgreSQL refuses to run as root; jvm/bin/java drops to an unprivileged uid when run as root.
mkdir -p "$RUN"
start_bank() {
  local name="$1"
  shift
  TESSERA_EXAMPLE_JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java" "$HERE/jvm/bin/java" \
    -cp "$HERE/target/classes:$HERE/target/lib/*" \
    -Dregistry.raft.serverAddr="$server_addr" -Dregistry.raft.username="$user" -Dregistry.raft.password="$password" \
    io.tessera.examples.transfer.BankMain --name "$name" "$@" > "$RUN/$name.log" 2>&1 < /dev/null &
  pids+=($!)
}
wait_bank() {
  local name="$1" url="$2" pid="$3" deadline=$((SECONDS + 120))
  until curl -sf --max-time 2 "$url/balances" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { tail -n 20 "$RUN/$name.log"; die "$name exited (log: $RUN/$name.log)"; }
    (( SECONDS < deadline )) || die "$name did not answer within 120 s (log: $RUN/$name.log)"
    sleep 0.5
  done
  echo "$name up on $url (log: $RUN/$name.log)"
}

say "starting bank-b (bob, limit $LIMIT per transfer) and bank-a (alice), each with its own embedded PostgreSQL"
echo "Seata client: registry.type=raft, registry.raft.serverAddr=$server_addr, registry.raft.username=$user"
start_bank bank-b --port "$BANK_B_PORT" --account bob=100 --credit-limit "$LIMIT"
bank_b_pid="${pids[-1]}"
start_bank bank-a --port "$BANK_A_PORT" --account alice=1000 --peer "$BANK_B"
bank_a_pid="${pids[-1]}"
wait_bank bank-b "$BANK_B" "$bank_b_pid"
wait_bank bank-a "$BANK_A" "$bank_a_pid"

balance() { curl -sf "$1/balances" | sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p"; }
total=0
show_balances() {
  local alice bob
  alice="$(balance "$BANK_A" alice)"
  bob="$(balance "$BANK_B" bob)"
  total=$((alice + bob))
  printf '   alice (bank-a database): %5d    bob (bank-b database): %5d    total: %5d\n' "$alice" "$bob" "$total"
}
transfer() {
  local amount="$1" out code
  out="$(curl -s -w '\n%{http_code}' -X POST "$BANK_A/transfer?from=alice&to=bob&amount=$amount")"
  code="${out##*$'\n'}"
  echo "   POST $BANK_A/transfer?from=alice&to=bob&amount=$amount -> HTTP $code ${out%$'\n'*}"
}

say "balances before"
show_balances
before=$total

say "transfer 300 from alice to bob (within bank-b's limit: commits)"
transfer 300
show_balances

say "transfer 600 from alice to bob (over bank-b's limit: bank-b credits, then refuses; both roll back)"
transfer 600
show_balances
after=$total

say "what happened (the services' log lines, one per step, with the XID)"
# Both logs merged in time order (each line starts with its time of day).
grep -H "Begin new global transaction\|transfer .* committed\|rolled back\|credit .* written\|credit .* refused\|Branch Rollback\|rollback status\|commit status" \
  "$RUN"/bank-a.log "$RUN"/bank-b.log | sed 's#^.*/\(bank-.\)\.log:\([^ ]*\) #\2 \1 #' | sort | cut -c1-240 || true

say "summary"
if (( before == after )); then
  echo "   total before $before, after $after: conserved (one transfer committed, one rolled back in both databases)"
else
  die "total before $before, after $after: NOT conserved"
fi
