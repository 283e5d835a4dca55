#!/usr/bin/env bash
# Benchmarks against the local services; prints numbers. Example: scripts/bench.sh promote --jobs 100000
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/services.sh up >/dev/null
[ -f target/jobsched.jar ] && [ -z "$(find src pom.xml -newer target/jobsched.jar -print -quit)" ] \
  || mvn -B -q -DskipTests package
exec java -Xmx2g -cp target/jobsched.jar io.jobsched.bench.Bench "$@"
