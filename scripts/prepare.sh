# Sourced by the entry scripts: install + build, start local Redis/Postgres, export their URLs.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/bootstrap.sh
bash scripts/services.sh start
eval "$(bash scripts/services.sh env)"
export NX_TUI=false NX_DAEMON=false
