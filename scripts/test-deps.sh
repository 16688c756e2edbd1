#!/usr/bin/env bash
# Tools the cross-daemon tests drive for real: Prometheus (scrapes every daemon, evaluates every
# shipped dashboard query; promtool lints /metrics) and headless Chromium (the dashboard in a browser).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/apt.sh"
missing=()
command -v prometheus >/dev/null && command -v promtool >/dev/null || missing+=(prometheus)
command -v chromium >/dev/null || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
