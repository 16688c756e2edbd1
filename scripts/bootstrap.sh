#!/usr/bin/env bash
# Make a fresh checkout runnable: check toolchains, install npm packages (lockfile-exact), build the
# native core and every TypeScript project. Safe to re-run: each step is skipped when up to date.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
say() { printf '[bootstrap] %s\n' "$*" >&2; }
die() { printf '[bootstrap] error: %s\n' "$*" >&2; exit 1; }

command -v node >/dev/null || die "node is not installed (need Node >= 20.17)"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=17)?0:1)' \
  || die "Node $(node -v) is too old: need >= 20.17 (for @napi-rs/cli 3)"
command -v cargo >/dev/null || die "cargo is not installed: install Rust with rustup (https://rustup.rs), then re-run"

# npm 11 blocks dependency install scripts; package.json "allowScripts" lists the decisions
# (zeromq and nx work from their published files, so both are denied).
# `npm install` against the committed lockfile rather than `npm ci`: some registries lack the
# foreign-platform optional packages of @napi-rs/cli's tree, which `npm ci` treats as a lock mismatch.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (npm install, lockfile versions)"
  npm install --no-audit --no-fund --loglevel=error
fi

say "building native core and TypeScript projects"
NX_TUI=false NX_DAEMON=false npx --no-install nx run-many -t build --output-style=static >/dev/null 2>"$ROOT/.nx-build.log" \
  || { cat "$ROOT/.nx-build.log" >&2; die "build failed"; }
rm -f "$ROOT/.nx-build.log"
# npm links a workspace's bin only when its target exists, and on a fresh clone the CLI is built
# after the install: link `hft` now, so `npx hft` works as the README says.
if [ ! -e node_modules/.bin/hft ]; then
  ln -sf ../@hft/cli/dist/src/main.js node_modules/.bin/hft
  chmod +x apps/cli/dist/src/main.js
fi
