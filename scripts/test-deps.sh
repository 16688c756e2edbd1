#!/usr/bin/env bash
# Tools the cross-daemon tests drive for real: Prometheus (scrapes every daemon, evaluates every
# shipped dashboard query; promtool lints /metrics), headless Chromium (the dashboard in a browser)
# and iproute2 (network namespaces stand in for separate hosts).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/apt.sh"
missing=()
command -v prometheus >/dev/null && command -v promtool >/dev/null || missing+=(prometheus)
command -v chromium >/dev/null || missing+=(chromium)
command -v ip >/dev/null || missing+=(iproute2)
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
