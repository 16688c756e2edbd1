#!/usr/bin/env bash
# The README's test command: install, build, start local Redis/Postgres, then every check of every
# project (Rust clippy + cargo test, ESLint, TypeScript tests, cross-daemon tests under test/).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/prepare.sh"
bash scripts/test-deps.sh
npx --no-install nx run-many -t lint test --output-style=stream --parallel=2
