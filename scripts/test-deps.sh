#!/usr/bin/env bash
# Tools the cross-daemon tests drive for real: Prometheus (scrapes every daemon, evaluates every
# shipped dashboard query; promtool lints /metrics), headless Chromium (the dashboard in a browser)
# iproute2 (network namespaces stand in for separate hosts), and Debian's Python with pyzmq and PyJWT
# (the docs' outside-client examples run as an outside user would run them).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/apt.sh"
missing=()
command -v prometheus >/dev/null && command -v promtool >/dev/null || missing+=(prometheus)
command -v chromium >/dev/null || missing+=(chromium)
command -v ip >/dev/null || missing+=(iproute2)
/usr/bin/python3 -c 'import zmq' 2>/dev/null || missing+=(python3-zmq)
/usr/bin/python3 -c 'import jwt' 2>/dev/null || missing+=(python3-jwt)
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
