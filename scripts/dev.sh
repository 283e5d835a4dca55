#!/usr/bin/env bash
# Services up, build, run one node with every role in the foreground (Ctrl-C stops it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/services.sh up
mvn -B -q -DskipTests package
echo "jobsched: dashboard and API at http://127.0.0.1:${JOBSCHED_HTTP_PORT:-8080}"
exec java --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED \
  --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
  --add-opens java.management/sun.management=ALL-UNNAMED \
  --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED \
  -jar target/jobsched.jar "$@"
