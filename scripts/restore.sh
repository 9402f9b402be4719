#!/usr/bin/env bash
# Restore a backup into the nodes of a cluster config: the same arguments as `tessera-admin restore`, e.g.
#
#   scripts/restore.sh backups/tessera.zip --conf cluster-conf/ --dry-run
#   scripts/restore.sh backups/tessera.zip --conf cluster-conf/ [--force]
#
# Without --data-root it seeds the directories scripts/cluster.sh uses: ${TESSERA_DATA_ROOT:-<repo>/data}/<node>.
# Stop the nodes first (scripts/cluster.sh stop); start them afterwards. See docs/operations.md.
# Restore itself works offline; like backup.sh it exports the admin credentials of credentials.env (see
# scripts/admin-common.sh) for commands that call the cluster.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/admin-common.sh
source "$REPO/scripts/admin-common.sh"
args=("$@")
has_root=0
for a in "$@"; do
  [[ "$a" == --data-root || "$a" == --data-root=* ]] && has_root=1
done
if [[ $has_root == 0 ]]; then
  args+=(--data-root "${TESSERA_DATA_ROOT:-$REPO/data}")
fi
run_admin restore "${args[@]}"
