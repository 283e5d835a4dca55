#!/usr/bin/env bash
# Benchmarks against the local services; prints numbers. Example: scripts/bench.sh promote --jobs 100000
# The bench code lives in bench/ and is compiled as test code (never shipped in target/jobsched.jar): it runs
# from target/test-classes beside the fat jar.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/services.sh up >/dev/null
# Hand non-default service ports to the bench's node and drop the service script's own JOBSCHED_* variables.
eval "$(bash scripts/services.sh node-env)"
BENCH_CLASS=target/test-classes/io/jobsched/bench/Bench.class
[ -f target/jobsched.jar ] && [ -f "$BENCH_CLASS" ] \
  && [ -z "$(find src bench pom.xml -newer target/jobsched.jar -print -quit)" ] \
  && [ -z "$(find bench -newer "$BENCH_CLASS" -print -quit)" ] \
  || mvn -B -q -DskipTests package
exec java -Xmx2g -cp target/jobsched.jar:target/test-classes io.jobsched.bench.Bench "$@"
