#!/usr/bin/env bash
# Tools the cross-daemon tests drive for real: Prometheus (scrapes every daemon, evaluates every
# shipped dashboard query; promtool lints /metrics), headless Chromium (the dashboard in a browser)
# iproute2 (network namespaces stand in for separate hosts), Debian's Python with pyzmq and PyJWT
# (the docs' outside-client examples run as an outside user would run them), a Python venv with pandas,
# pyarrow and DuckDB from PyPI (the README's tick-catalog one-liners), and a JDK with Maven for
# QuickFIX/J, the FIX engine the gateway's e2e test has as its counterparty (built here, jars from Maven Central).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/apt.sh"
missing=()
command -v prometheus >/dev/null && command -v promtool >/dev/null || missing+=(prometheus)
command -v chromium >/dev/null || missing+=(chromium)
command -v ip >/dev/null || missing+=(iproute2)
/usr/bin/python3 -c 'import zmq' 2>/dev/null || missing+=(python3-zmq)
/usr/bin/python3 -c 'import jwt' 2>/dev/null || missing+=(python3-jwt)
/usr/bin/python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
command -v java >/dev/null && command -v javac >/dev/null || missing+=(default-jdk-headless)
command -v mvn >/dev/null || missing+=(maven)
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py="$ROOT/.run/python"
if ! "$py/bin/python" -c 'import pandas, pyarrow, duckdb' 2>/dev/null; then
  printf '[test-deps] pandas, pyarrow and duckdb into %s (pip)\n' "$py" >&2
  /usr/bin/python3 -m venv "$py"
  "$py/bin/pip" install --quiet --disable-pip-version-check pandas==3.1.2 pyarrow==26.0.1 duckdb==2.0.1 >&2
fi
client="$ROOT/test/fix-client"
if [ ! -f "$client/target/classpath.txt" ] || [ "$client/src/main/java/hft/fixclient/FixClient.java" -nt "$client/target/classpath.txt" ] || [ "$client/pom.xml" -nt "$client/target/classpath.txt" ]; then
  printf '[test-deps] building the QuickFIX/J test client (mvn)\n' >&2
  mvn -q -B -f "$client/pom.xml" compile dependency:build-classpath -Dmdep.outputFile="$client/target/classpath.txt" >&2
fi
