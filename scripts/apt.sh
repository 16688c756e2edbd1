# Sourced: install Debian packages when missing (root only; otherwise say the exact command).
# shellcheck shell=bash
apt_install() {
  if [ "$(id -u)" != 0 ]; then
    printf 'error: %s not installed and installing needs root: sudo apt-get install -y %s\n' "$*" "$*" >&2
    exit 1
  fi
  printf '[apt] installing %s\n' "$*" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
