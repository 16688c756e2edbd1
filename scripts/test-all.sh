#!/usr/bin/env bash
# The README's test command: install, build, start local Redis/Postgres, then every check of every
# project (Rust clippy + cargo test, ESLint, TypeScript tests, cross-daemon tests under test/).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/bootstrap.sh
bash scripts/services.sh start
eval "$(bash scripts/services.sh env)"
export NX_TUI=false NX_DAEMON=false NO_COLOR=1
npx --no-install nx run-many -t lint test --output-style=stream --parallel=2
