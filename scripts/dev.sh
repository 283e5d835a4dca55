#!/usr/bin/env bash
# Services up, build the fat jar, run one node with every role in the foreground (Ctrl-C stops it).
# Extra arguments go to the jar. The node reads conf/jobsched.json from the checkout root plus
# JOBSCHED_<SECTION>_<KEY> overrides (e.g. JOBSCHED_HTTP_PORT=9090).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/services.sh up
# Hand non-default service ports to the node and drop the service script's own JOBSCHED_* variables,
# which the node would reject as unknown config keys.
eval "$(bash scripts/services.sh node-env)"

mvn -B -q -DskipTests package
[ -f target/jobsched.jar ] || { echo "dev: target/jobsched.jar was not built" >&2; exit 1; }

if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi
echo "jobsched: dashboard and API at http://127.0.0.1:${JOBSCHED_HTTP_PORT:-8080}"
# the node's JVM options (one per line, # comments) are in conf/jvm.options, shared with scripts/bench.sh api
mapfile -t JVM_OPTIONS < <(grep -v '^[[:space:]]*\(#\|$\)' conf/jvm.options)
exec "$JAVA" "${JVM_OPTIONS[@]}" -jar target/jobsched.jar "$@"
