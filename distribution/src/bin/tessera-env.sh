# Shared by bin/tessera-server, bin/tessera-admin and bin/tessera-init (sourced, not run).
#
# Environment: TESSERA_HOME (default: the directory above bin/), JAVA_HOME, TESSERA_JAVA_OPTS,
# TESSERA_CREDENTIALS (default $TESSERA_HOME/conf/credentials.env), TESSERA_CA_DIR (default $TESSERA_HOME/ca).

TESSERA_HOME="${TESSERA_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
LIB_DIR="$TESSERA_HOME/lib"
CREDENTIALS="${TESSERA_CREDENTIALS:-$TESSERA_HOME/conf/credentials.env}"
CA_DIR="${TESSERA_CA_DIR:-$TESSERA_HOME/ca}"

die() { echo "$(basename "$0"): $*" >&2; exit 1; }

java_cmd() {
  if [[ -n "${JAVA_HOME:-}" ]]; then
    echo "$JAVA_HOME/bin/java"
  else
    command -v java >/dev/null 2>&1 || die "no java on the PATH (Java 17 or later; or set JAVA_HOME)"
    echo java
  fi
}

jvm_options() {
  local f="$TESSERA_HOME/conf/jvm.options"
  [[ -f "$f" ]] || return 0
  sed -e 's/#.*//' "$f" | tr '\n' ' '
}

# The value of KEY for the node of CONF: environment TESSERA_<KEY> first (as the node reads it), then the file.
conf_value() {
  local conf="$1" key="$2" env
  env="TESSERA_$(echo "$key" | tr 'a-z.-' 'A-Z__')"
  if [[ -n "${!env:-}" ]]; then
    echo "${!env}"
    return
  fi
  sed -n "s/^[[:space:]]*${key//./\\.}[[:space:]]*=[[:space:]]*//p" "$conf" | tail -n 1 | tr -d '[:space:]'
}

# A node's data directory, absolute: data.dir of its file (relative to TESSERA_HOME), else data/<node.id>.
data_dir_of() {
  local conf="$1" dir id
  dir="$(conf_value "$conf" data.dir)"
  if [[ -z "$dir" ]]; then
    id="$(conf_value "$conf" node.id)"
    [[ -n "$id" ]] || die "$conf sets no node.id"
    dir="data/$id"
  fi
  [[ "$dir" == /* ]] || dir="$TESSERA_HOME/$dir"
  echo "$dir"
}

# Exports each credential of the credentials file unless the environment has it or CONF sets the key.
export_credentials() {
  local conf="${1:-}" name value key
  [[ -r "$CREDENTIALS" ]] || return 0
  while IFS='=' read -r name value; do
    [[ "$name" =~ ^TESSERA_ ]] || continue
    [[ -n "${!name:-}" ]] && continue
    if [[ -n "$conf" ]]; then
      key="$(echo "${name#TESSERA_}" | tr 'A-Z_' 'a-z.')"
      grep -Eq "^[[:space:]]*${key//./\\.}[[:space:]]*=[[:space:]]*[^[:space:]]" "$conf" && continue
    fi
    export "$name=$value"
  done < "$CREDENTIALS"
}
