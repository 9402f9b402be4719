#!/usr/bin/env bash
# Backup of a Tessera cluster: the same arguments as `tessera-admin backup`, e.g.
#
#   scripts/backup.sh --cluster 127.0.0.1:7091,127.0.0.1:7092 --out backups/tessera.zip
#   scripts/backup.sh --cluster 127.0.0.1:7091 --username seata --password secret --out b.zip
#   scripts/backup.sh --data-dir data/node1 --out b.zip          (a STOPPED node)
#
# Builds the admin jar (admin/target/tessera-admin-*-cli.jar) if it is missing. See docs/operations.md.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/admin-common.sh
source "$REPO/scripts/admin-common.sh"
run_admin backup "$@"
