#!/usr/bin/env bash
# The README's main command: install, build the native core, start local Redis/Postgres, then start
# the daemons, replay data/ at 10x and print the run summary (`hft up`; arguments pass through,
# e.g. `npm start -- --speed max`). From a terminal it keeps running until Ctrl-C.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/prepare.sh"
exec node apps/cli/dist/src/main.js up "$@"
