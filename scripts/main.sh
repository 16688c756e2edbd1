#!/usr/bin/env bash
# The README's main command: install, build the native core, start local Redis/Postgres, then run
# the main job. Extra arguments are passed to the job.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/prepare.sh"
# Until the daemons land, the main job is the native core benchmark.
node native/dist/bench/native-bench.js "$@"
