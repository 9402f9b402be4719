# Shared by scripts/backup.sh and scripts/restore.sh (sourced, not run).
admin_jar() {
  ls "$REPO"/admin/target/tessera-admin-*-cli.jar 2>/dev/null | head -n 1
}

run_admin() {
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
