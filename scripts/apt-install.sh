#!/usr/bin/env bash
# apt-install.sh PACKAGE...: installs Debian packages with apt-get, as root or through sudo (non-interactive
# when there is no terminal: fails instead of hanging on a password), after any other apt/dpkg has finished.
# Shared by scripts/services.sh (redis, postgres) and scripts/browser.sh (chromium).
set -euo pipefail

log() { printf '%s\n' "$*" >&2; }
die() { log "apt-install: $*"; exit 1; }

[ $# -gt 0 ] || die "usage: scripts/apt-install.sh PACKAGE..."
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || die "missing packages: $* -- not root and no sudo; run as root: apt-get install -y $*"
  sudo=(sudo)
  [ -t 0 ] || sudo+=(-n)   # no terminal to ask for a password on: fail instead of hanging
fi
if command -v pgrep >/dev/null; then
  while pgrep -x apt-get >/dev/null || pgrep -x dpkg >/dev/null; do log "waiting for another apt/dpkg"; sleep 3; done
fi
log "installing $* (apt-get)"
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null || die "apt-get update failed"
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 \
  --no-install-recommends "$@" </dev/null >/dev/null || die "apt-get install $* failed"
