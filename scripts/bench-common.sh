# Shared by scripts/bench.sh and scripts/bench-cpu.sh (sourced; REPO must be set): the generator's
# classpath, the JVM flags the tests use, member addresses from a node config, and per-thread CPU from /proc.

jvm_opens() { sed -n 's:.*<jvm.opens>\(.*\)</jvm.opens>.*:\1:p' "$REPO/pom.xml"; }

# Prints the classpath of the bench module (its classes and runtime dependencies), building both offline
# from ~/.m2 when missing. Runtime scope only: the test scope would put a logback-test.xml first, and the
# Seata client would then log every transaction at INFO (docs/benchmarks.md).
bench_classpath() {
  local cp_file="$REPO/bench/target/classpath.txt"
  if [[ ! -d "$REPO/bench/target/classes/io/tessera/bench" ]]; then
    (cd "$REPO" && mvn -B -ntp -q -o -pl bench install -DskipTests) >&2
  fi
  if [[ ! -s "$cp_file" || "$REPO/bench/pom.xml" -nt "$cp_file" ]]; then
    (cd "$REPO" && mvn -B -ntp -q -o -pl bench dependency:build-classpath -DincludeScope=runtime \
      -Dmdep.outputFile="$cp_file") >&2
  fi
  echo "$REPO/bench/target/classes:$(cat "$cp_file")"
}

# "TRANSACTION_LIST CONTROL_LIST" (comma-separated host:port) of the members in a node config's
# cluster.members (entries id@host:control:transaction:raft).
member_addresses() {
  local members entry list_t="" list_c="" host control transaction
  members="$(sed -n 's/^[[:space:]]*cluster\.members[[:space:]]*=[[:space:]]*//p' "$1" | tr -d '[:space:]')"
  IFS=',' read -r -a entries <<< "$members"
  for entry in "${entries[@]}"; do
    IFS=':' read -r host control transaction _ <<< "${entry#*@}"
    list_t="${list_t:+$list_t,}$host:$transaction"
    list_c="${list_c:+$list_c,}$host:$control"
  done
  echo "$list_t $list_c"
}

# "<thread-name-group> <utime+stime jiffies>" per thread of a process, digits folded so that pools aggregate.
thread_cpu() {
  local t name
  for t in /proc/"$1"/task/*; do
    name="$(tr ' ' '_' < "$t/comm" 2>/dev/null | sed 's/[0-9]\+/#/g')" || continue
    awk -v n="$name" '{ sub(/^.*\) /, ""); print n, $12 + $13 }' "$t/stat" 2>/dev/null || true
  done | awk '{ s[$1] += $2 } END { for (k in s) print k, s[k] }'
}
