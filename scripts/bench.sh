#!/usr/bin/env bash
# Benchmarks against the local services; prints numbers.
#
#   scripts/bench.sh promote --jobs 100000          the Promoter alone
#   scripts/bench.sh run --runs 200000              the pipeline in-process (scheduler, worker, reaper), no API
#   scripts/bench.sh api --runs 50000 [--mode spike|rate --rate R]
#                                                   what a user gets: the default node (the shipped jar, as
#                                                   scripts/dev.sh starts it), jobs loaded through the API
#   scripts/bench.sh create --jobs 1000000 [--round 200000]
#                                                   job creation alone through the batch API into the default
#                                                   node, per round: jobs/s and each process's CPU per job
#   scripts/bench.sh scale --jobs 1000000 [--minutes 5]
#                                                   many schedules: N cron jobs spread evenly over each minute's
#                                                   seconds (N / 60 fires/s) through the default node, M minutes
#   scripts/bench.sh history [--months 12] [--runs-per-month 1000000] [--cold-months 1]
#                                                   a year of run history in a throwaway database, older months
#                                                   archived to Parquet by the node; p99 of a run by id, a job's
#                                                   newest 50, a cold run, a worker's claimed read (START)
#   scripts/bench.sh dashboard [--jobs 100000] [--runs 1000000] [--rounds 5]
#                                                   the dashboard in headless chromium over a throwaway node filled
#                                                   with N jobs (batch API) and M runs of the last 30 days (SQL):
#                                                   each page's time until its list is on screen
#   scripts/bench.sh peer --runs 50000 [--mode spike|rate --rate R]
#                                                   `api`, then the BullMQ peer (../shared/peers/bullmq, its own
#                                                   Redis on port 26379) on the same workload, one table of both
#
# The bench code lives in bench/ and is compiled as test code (never shipped in target/jobsched.jar): it runs
# from target/test-classes beside the fat jar.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
bash scripts/services.sh up >/dev/null
STATE="${JOBSCHED_HOME:-$ROOT/.jobsched}"
# Hand non-default service ports to the bench's node and drop the service script's own JOBSCHED_* variables.
eval "$(bash scripts/services.sh node-env)"
BENCH_CLASS=target/test-classes/io/jobsched/bench/Bench.class
[ -f target/jobsched.jar ] && [ -f "$BENCH_CLASS" ] \
  && [ -z "$(find src bench pom.xml -newer target/jobsched.jar -print -quit)" ] \
  && [ -z "$(find bench -newer "$BENCH_CLASS" -print -quit)" ] \
  || mvn -B -q -DskipTests package

bench() { java -Xmx2g -cp target/jobsched.jar:target/test-classes io.jobsched.bench.Bench "$@"; }

if [ "${1:-}" = dashboard ]; then
  # the dashboard bench drives Debian's chromium through Playwright (a test dependency) with the system Node
  bash scripts/browser.sh
  CP_FILE=target/bench-test-classpath.txt
  [ -s "$CP_FILE" ] && [ "$CP_FILE" -nt pom.xml ] || mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$CP_FILE" >/dev/null
  exec env PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 PLAYWRIGHT_NODEJS_PATH=/usr/bin/node \
    java -Xmx2g -cp "target/jobsched.jar:target/test-classes:$(cat "$CP_FILE")" io.jobsched.bench.Bench "$@"
fi

[ "${1:-}" = peer ] || { bench "$@"; exit; }

shift
runs=50000 mode=spike rate=1000
args=("$@")
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2 ;; --mode) mode=$2 ;; --rate) rate=$2 ;;
    *) echo "bench peer: unknown option $1 (takes --runs, --mode, --rate)" >&2; exit 2 ;;
  esac
  shift 2
done

# The peer: BullMQ 6 on Node, with a Redis of its own (AOF everysec, as ours) so neither sees the other's keys.
PEER="$STATE/peers/bullmq"
PEER_PORT=26379
[ -f ../shared/peers/bullmq/bench.mjs ] || { echo "bench peer: ../shared/peers/bullmq/bench.mjs not found beside this checkout" >&2; exit 1; }
mkdir -p "$PEER/redis"
cp ../shared/peers/bullmq/bench.mjs ../shared/peers/bullmq/package.json "$PEER/"
[ -d "$PEER/node_modules/bullmq" ] || (cd "$PEER" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
redis-cli -p "$PEER_PORT" ping >/dev/null 2>&1 && { echo "bench peer: port $PEER_PORT is taken" >&2; exit 1; }
redis-server --port "$PEER_PORT" --bind 127.0.0.1 --dir "$PEER/redis" --appendonly yes --appendfsync everysec \
  --save '' --daemonize yes --logfile "$PEER/redis/redis.log" --pidfile "$PEER/redis/redis.pid"
trap 'redis-cli -p "$PEER_PORT" shutdown nosave >/dev/null 2>&1 || true' EXIT

ours="$(mktemp)" theirs="$(mktemp)"
echo "== jobsched (default node, through the API)"
bench api "${args[@]}" | tee "$ours"
echo "== BullMQ (concurrency 100, its own Redis)"
(cd "$PEER" && REDIS_PORT=$PEER_PORT MODE=$mode RATE=$rate JOBS=$runs CONC=100 LEAD_MS=15000 node bench.mjs) | tee "$theirs"

field() { grep -o "$2=[0-9.]*" "$1" | head -n1 | cut -d= -f2; }
row() { # name file
  printf '| %-28s | %8s | %10s | %10s | %10s | %8s | %s |\n' "$1" "$(grep -o 'executions/s[^=]*= [0-9]*' "$2" | grep -o '[0-9]*$')" \
    "$(field "$2" p50)" "$(field "$2" p95)" "$(field "$2" p99)" "$(grep -o 'started<=1s late: [0-9.]*%' "$2" | grep -o '[0-9.]*%')" \
    "missing $(field "$2" missing), duplicates $(field "$2" duplicates)"
}
echo
echo "bench peer: $runs noop jobs, mode $mode$([ "$mode" = rate ] && echo " at $rate/s"), $(nproc) cores, services co-located"
printf '| %-28s | %8s | %10s | %10s | %10s | %8s | %s |\n' "" "runs/s" "p50 ms" "p95 ms" "p99 ms" "≤1 s" "exactly once"
printf '|%s|\n' "------------------------------|----------|------------|------------|------------|----------|------------------------------"
row "jobsched (default node, API)" "$ours"
row "BullMQ $(grep -o 'peer=bullmq-[0-9.]*' "$theirs" | cut -d- -f2)" "$theirs"
rm -f "$ours" "$theirs"
