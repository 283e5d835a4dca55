#!/usr/bin/env bash
# Services and the test browser up, then the whole suite: unit tests (Surefire) and integration tests on the real services
# (Failsafe). Extra arguments go to Maven, e.g. scripts/test.sh -Dit.test=NodeSliceIT. Exits with Maven's status, or
# with scripts/test-noroot.sh's when that runs and fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/services.sh up
# the browser the dashboard tests drive (Debian's chromium; installed when missing)
bash scripts/browser.sh
# Hand non-default service ports to the tests' nodes and drop the service script's own JOBSCHED_*
# variables, which the node config would reject as unknown keys.
eval "$(bash scripts/services.sh node-env)"

rc=0
mvn -B verify "$@" || rc=$?

# The no-root path (Redis and Postgres from Maven Central, as an ordinary user on its own ports): in CI, or
# with JOBSCHED_TEST_NOROOT=1; JOBSCHED_TEST_NOROOT=0 skips it. After the suite, whose classes it reuses
# (~2.5 min), and only when the suite passed; it prints a few lines (its Maven output goes to a file), so
# the suite's results stay the last test report.
if [ $rc -eq 0 ] && { [ "${JOBSCHED_TEST_NOROOT:-}" = 1 ] || { [ "${CI:-}" = true ] && [ "${JOBSCHED_TEST_NOROOT:-}" != 0 ]; }; }; then
  bash scripts/test-noroot.sh || rc=$?
fi
exit $rc
