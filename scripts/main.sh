#!/usr/bin/env bash
# The README's main command: install, build the native core, start local Redis/Postgres, then start
# the daemons (after backfilling data/history into the candle store), replay data/ at 10x and print the run summary (`hft up`; arguments pass through,
# e.g. `npm start -- --speed max`). From a terminal it keeps running until Ctrl-C.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/prepare.sh"
# The five trading days before the sample, into the candle store (idempotent: later runs change nothing),
# so quotes have a previous close and the scanner earlier days to compare with.
node apps/cli/dist/src/main.js backfill data/history/minutes-2026-02.csv
exec node apps/cli/dist/src/main.js up "$@"
