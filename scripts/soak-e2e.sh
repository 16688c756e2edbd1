#!/usr/bin/env bash
# Run the e2e fault tests N times in a row and print how many passed and failed. A test that fails
# one run in N is a failing test: run this before calling anything on the order path done.
#
#   scripts/soak-e2e.sh 20                        # test/e2e/faults.test.ts, 20 times
#   scripts/soak-e2e.sh 5 e2e/platform.test.ts    # another e2e file
#
# Logs of failed runs are kept in .run/soak/ (the path is printed).
set -euo pipefail
N="${1:?usage: scripts/soak-e2e.sh N [test file under test/, default e2e/faults.test.ts]}"
FILE="${2:-e2e/faults.test.ts}"
source "$(dirname "${BASH_SOURCE[0]}")/prepare.sh"
LOGS="$ROOT/.run/soak/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$LOGS"
pass=0
fail=0
for i in $(seq 1 "$N"); do
  start=$(date +%s)
  if (cd "$ROOT/test" && npx --no-install vitest run --config ../config/vitest.base.ts "$FILE") > "$LOGS/run-$i.log" 2>&1; then
    pass=$((pass + 1))
    printf 'run %2d/%d  pass  %4ss\n' "$i" "$N" "$(( $(date +%s) - start ))"
    rm -f "$LOGS/run-$i.log"
  else
    fail=$((fail + 1))
    failed=$(grep -E '^\s+(×|✗)' "$LOGS/run-$i.log" | sed 's/\x1b\[[0-9;]*m//g' | sed 's/^ *//' | head -3 | tr '\n' ';' || true)
    printf 'run %2d/%d  FAIL  %4ss  %s (log: %s)\n' "$i" "$N" "$(( $(date +%s) - start ))" "$failed" "$LOGS/run-$i.log"
  fi
done
printf '%s: %d passed, %d failed of %d runs\n' "$FILE" "$pass" "$fail" "$N"
[ "$fail" -eq 0 ]
