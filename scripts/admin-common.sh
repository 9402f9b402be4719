# Shared by scripts/backup.sh and scripts/restore.sh (sourced, not run).
admin_jar() {
  ls "$REPO"/admin/target/tessera-admin-*-cli.jar 2>/dev/null | head -n 1
}

# The admin role's credentials for live calls (backup --cluster, auth …): the environment wins, then
# TESSERA_ADMIN_USERNAME / TESSERA_ADMIN_PASSWORD from <data-root>/credentials.env, which scripts/cluster.sh
# writes at the first start (TESSERA_DATA_ROOT, default <repo>/data). --username/--password flags win over both.
load_admin_credentials() {
  local file="${TESSERA_DATA_ROOT:-$REPO/data}/credentials.env" name value
  [[ -r "$file" ]] || return 0
  # Read, never source: only the two admin variables are taken from the file.
  while IFS='=' read -r name value; do
    case "$name" in
      TESSERA_ADMIN_USERNAME|TESSERA_ADMIN_PASSWORD)
        [[ -n "${!name:-}" ]] || export "$name=$value"
        ;;
    esac
  done < "$file"
}

run_admin() {
  load_admin_credentials
  if [[ -z "$(admin_jar)" ]]; then
    echo "building the admin jar (mvn -B -ntp -q -DskipTests -pl admin -am package) ..." >&2
    (cd "$REPO" && mvn -B -ntp -q -DskipTests -pl admin -am package) >&2
  fi
  local jar
  jar="$(admin_jar)"
  [[ -n "$jar" ]] || { echo "no admin/target/tessera-admin-*-cli.jar after the build" >&2; exit 1; }
  local opens
  opens="$(sed -n 's:.*<jvm.opens>\(.*\)</jvm.opens>.*:\1:p' "$REPO/pom.xml")"
  # shellcheck disable=SC2086
  exec java $opens ${TESSERA_ADMIN_JAVA_OPTS:--Xmx512m} -Dsofa.middleware.log.disable=true -jar "$jar" "$@"
}
