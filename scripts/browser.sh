#!/usr/bin/env bash
# The browser the dashboard tests drive (src/test/java/io/jobsched/dashboard, Playwright for Java): Debian's
# chromium at /usr/bin/chromium, and a Node for Playwright's driver (PLAYWRIGHT_NODEJS_PATH=/usr/bin/node, set
# for the ITs in pom.xml). Installs what is missing with scripts/apt-install.sh (as scripts/services.sh
# does); idempotent, quiet when all is there. Playwright never downloads a browser (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD).
set -euo pipefail

log() { printf '%s\n' "$*" >&2; }
die() { log "browser: $*"; exit 1; }

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium fonts-liberation)
[ -x /usr/bin/node ] || missing+=(nodejs)
[ ${#missing[@]} -eq 0 ] || bash "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" "${missing[@]}" || exit 1
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium still missing after apt-get install chromium"
node_major="$(/usr/bin/node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
[ "$node_major" -ge 18 ] || die "/usr/bin/node is Node $node_major; Playwright's driver needs Node 18 or newer (20 is what we test with)"
