#!/usr/bin/env bash
# Services and the test browser up, then the whole suite: unit tests (Surefire) and integration tests on the real services
# (Failsafe). Extra arguments go to Maven, e.g. scripts/test.sh -Dit.test=NodeSliceIT. Exits with Maven's status.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/services.sh up
# the browser the dashboard tests drive (Debian's chromium; installed when missing)
bash scripts/browser.sh
# Hand non-default service ports to the tests' nodes and drop the service script's own JOBSCHED_*
# variables, which the node config would reject as unknown keys.
eval "$(bash scripts/services.sh node-env)"

exec mvn -B verify "$@"
