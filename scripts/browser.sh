#!/usr/bin/env bash
# The browser the dashboard tests drive (src/test/java/io/jobsched/dashboard, Playwright for Java): Debian's
# chromium at /usr/bin/chromium, and a Node for Playwright's driver (PLAYWRIGHT_NODEJS_PATH=/usr/bin/node, set
# for the ITs in pom.xml). Installs what is missing with apt-get (sudo when not root, as scripts/services.sh
# does); idempotent, quiet when all is there. Playwright never downloads a browser (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD).
set -euo pipefail

log() { printf '%s\n' "$*" >&2; }
die() { log "browser: $*"; exit 1; }

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium fonts-liberation)
[ -x /usr/bin/node ] || missing+=(nodejs)
[ ${#missing[@]} -eq 0 ] || {
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "missing packages: ${missing[*]} -- not root and no sudo; run as root: apt-get install -y ${missing[*]}"
    sudo=(sudo)
    [ -t 0 ] || sudo+=(-n)   # no terminal to ask for a password on: fail instead of hanging
  fi
  if command -v pgrep >/dev/null; then
    while pgrep -x apt-get >/dev/null || pgrep -x dpkg >/dev/null; do log "waiting for another apt/dpkg"; sleep 3; done
  fi
  log "installing ${missing[*]} (apt-get)"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null || die "apt-get update failed"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 \
    --no-install-recommends "${missing[@]}" </dev/null >/dev/null || die "apt-get install ${missing[*]} failed"
}
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium still missing after apt-get install chromium"
node_major="$(/usr/bin/node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
[ "$node_major" -ge 18 ] || die "/usr/bin/node is Node $node_major; Playwright's driver needs Node 18 or newer (20 is what we test with)"
