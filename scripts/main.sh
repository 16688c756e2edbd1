#!/usr/bin/env bash
# The README's main command: install, build the native core, start local Redis/Postgres, then run
# the main job. Extra arguments are passed to the job.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/bootstrap.sh
bash scripts/services.sh start
eval "$(bash scripts/services.sh env)"
export NX_TUI=false NX_DAEMON=false
# Until the daemons land, the main job is the native core benchmark.
node native/dist/bench/native-bench.js "$@"
