#!/usr/bin/env bash
# Backup of a Tessera cluster: the same arguments as `tessera-admin backup`, e.g.
#
#   scripts/backup.sh --cluster 127.0.0.1:7091,127.0.0.1:7092 --out backups/tessera.zip
#   scripts/backup.sh --data-dir data/node1 --out b.zip          (a STOPPED node)
#
# A live backup needs the admin role: --username/--password, else TESSERA_ADMIN_USERNAME/PASSWORD from the
# environment, else from ${TESSERA_DATA_ROOT:-<repo>/data}/credentials.env (written by scripts/cluster.sh).
#
# Builds the admin jar (admin/target/tessera-admin-*-cli.jar) if it is missing. See docs/operations.md.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/admin-common.sh
source "$REPO/scripts/admin-common.sh"
run_admin backup "$@"
