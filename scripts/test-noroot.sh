#!/usr/bin/env bash
# The no-root path of scripts/services.sh, checked the way a developer without root or apt meets it: as an
# ordinary user with no sudo, Redis and PostgreSQL come from Maven Central (JOBSCHED_SERVICES_FROM=maven) on
# their own ports and state folder, then
#   - a smoke: Redis PING and its version (>= 6.2: XAUTOCLAIM), a query as the jobsched role (psql, where one
#     is installed: the Maven binaries bring none), Elasticsearch's health when it is started (below);
#   - integration tests against them, as that user (default RunQueueIT and MigrationsIT: Redis Lua scripts
#     and Flyway on Postgres, ~20 s of tests);
#   - Redis and Postgres down, up again (data kept: a Redis key and, with psql, a table), up once more
#     (already running), status; then everything down.
#
# As root it creates the user (JOBSCHED_NOROOT_USER, default jsnoroot: no sudo, no groups) and hands it a copy
# of the checkout and a Maven repository hard-linked from root's (offline builds, no download of the
# project's dependencies); as an ordinary user it runs as that user, in a copy under the state folder.
# Never touches the default ports or another state folder; whatever it started is stopped on any exit.
#
# Knobs: JOBSCHED_NOROOT_ITS (comma-separated Failsafe classes, empty for none), JOBSCHED_NOROOT_ES (0/1:
# Elasticsearch too, ~30 s; on when tests run, since every IT class's clean-up deletes its indices; without
# tests it can stay off: it comes from Maven Central on every path, so the main suite covers its fetch),
# JOBSCHED_NOROOT_HOME (default /tmp/jsnoroot-home), JOBSCHED_NOROOT_LOG (the Maven output, default
# <state folder>/it.log; printed only when it fails).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NR_USER="${JOBSCHED_NOROOT_USER:-jsnoroot}"
NR_HOME="${JOBSCHED_NOROOT_HOME:-/tmp/jsnoroot-home}"
NR_ITS="${JOBSCHED_NOROOT_ITS-RunQueueIT,MigrationsIT}"
# the tests' clean-up (IsolationCleanup) deletes Elasticsearch indices after every class: tests need it
if [ -n "$NR_ITS" ]; then NR_ES="${JOBSCHED_NOROOT_ES:-1}"; else NR_ES="${JOBSCHED_NOROOT_ES:-0}"; fi
NR_LOG="${JOBSCHED_NOROOT_LOG:-$NR_HOME/it.log}"
# away from the defaults (16379/15432/19200/5801) and from a second checkout's usual 26379/25432/29200
REDIS_PORT=36379 PG_PORT=35432 ES_PORT=39200 ES_TRANSPORT_PORT=39300 HZ_PORT=37701

log() { printf 'noroot: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
started=$SECONDS

if [ "$(id -u)" -eq 0 ]; then
  if ! id "$NR_USER" >/dev/null 2>&1; then
    useradd --create-home --shell /bin/bash "$NR_USER" || die "could not create user $NR_USER"
  fi
  user_home="$(getent passwd "$NR_USER" | cut -d: -f6)"
else
  NR_USER="$(id -un)"; user_home="$HOME"
fi
[ "$(id -u "$NR_USER")" -ne 0 ] || die "$NR_USER is root"
if id -nG "$NR_USER" | tr ' ' '\n' | grep -qxE 'sudo|wheel|admin'; then die "$NR_USER may use sudo: not a no-root check"; fi
WORK="$NR_HOME/checkout"

# Runs bash -c SCRIPT as the user with a clean environment: only what a developer's shell would have.
as_user() {
  local envs=(HOME="$user_home" USER="$NR_USER" LOGNAME="$NR_USER" PATH="/usr/local/bin:/usr/bin:/bin"
    LANG=C.UTF-8 JOBSCHED_SERVICES_FROM=maven JOBSCHED_HOME="$NR_HOME"
    JOBSCHED_REDIS_PORT=$REDIS_PORT JOBSCHED_PG_PORT=$PG_PORT
    JOBSCHED_ES_PORT=$ES_PORT JOBSCHED_ES_TRANSPORT_PORT=$ES_TRANSPORT_PORT)
  [ -z "${JAVA_HOME:-}" ] || envs+=(JAVA_HOME="$JAVA_HOME")
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u "$NR_USER" -- env -i "${envs[@]}" bash -c "$1")
  else
    (cd / && env -i "${envs[@]}" bash -c "$1")
  fi
}

# On any exit: the services down as the user, then whatever their pid files still name (this state
# folder's processes only, by pid).
cleanup() {
  local rc=$? f pid
  trap - EXIT
  as_user "cd '$WORK' && bash scripts/services.sh down" >/dev/null 2>&1 || true
  for f in "$NR_HOME/redis/redis.pid" "$NR_HOME/postgres/postmaster.pid" "$NR_HOME/es-logs/es.pid"; do
    pid="$( [ -s "$f" ] && head -n 1 "$f" | tr -dc '0-9' || true)"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ "$(ps -o user= -p "$pid" | tr -d ' ')" = "$NR_USER" ]; then
      log "killing leftover pid $pid ($f)"; kill -9 "$pid" 2>/dev/null || true
    fi
  done
  if [ $rc -eq 0 ]; then log "OK in $((SECONDS - started)) s"; else log "FAILED (exit $rc) after $((SECONDS - started)) s"; fi
  exit $rc
}
trap cleanup EXIT

# ---------------------------------------------------------------- the user's checkout and Maven repository

mkdir -p "$NR_HOME"
[ "$(id -u)" -ne 0 ] || chown "$NR_USER:" "$NR_HOME"
# the checkout as it is (uncommitted edits too), with target/ when a build left one (then nothing compiles
# again), without its git folder and state folders; owned by the user, who builds in it
rm -rf "$WORK"; mkdir -p "$WORK"
tar -C "$ROOT" --exclude=./.git --exclude='./.jobsched*' --exclude=./target/failsafe-reports \
  --exclude=./target/surefire-reports --exclude=./target/it-cold -cf - . | tar -C "$WORK" -xf -
# the compiler plugin lists its inputs by absolute path: pointed at the copy, its classes count as up to date
find "$WORK/target/maven-status" -name '*.lst' -exec sed -i "s#^$ROOT/#$WORK/#" {} + 2>/dev/null || true
if [ "$(id -u)" -eq 0 ]; then
  chown -R "$NR_USER:" "$WORK"
  # Root's repository holds every dependency the build needs: hard links (a copy on another file system)
  # give them to the user at no cost. Files stay root's and read-only to the user (Maven replaces, never
  # rewrites, what it changes: root's copies are safe); the folders become the user's so Maven can add files.
  repo="${JOBSCHED_NOROOT_M2:-$HOME/.m2/repository}" user_repo="$user_home/.m2/repository"
  if [ -d "$repo" ]; then
    mkdir -p "$user_repo"
    if [ "$(stat -c %d "$repo")" = "$(stat -c %d "$user_home")" ]; then
      cp -aln "$repo/." "$user_repo/" 2>/dev/null || true
    else
      cp -an "$repo/." "$user_repo/"
    fi
    find "$user_home/.m2" -type d ! -user "$NR_USER" -exec chown "$NR_USER:" {} +
  fi
  offline=-o
else
  offline=""   # an ordinary user's own repository, online
fi

# ---------------------------------------------------------------- up, smoke, tests

services=(redis postgres); [ "$NR_ES" = 1 ] && services+=(elasticsearch)
log "services up as $NR_USER from Maven Central (${services[*]}; state $NR_HOME)"
for s in "${services[@]}"; do as_user "cd '$WORK' && bash scripts/services.sh up $s" || die "services.sh up $s failed"; done

RCLI="$NR_HOME/redis-7.0.9/bin/redis-cli -h 127.0.0.1 -p $REDIS_PORT"
smoke() {
  local v
  [ "$($RCLI ping)" = PONG ] || die "redis: no PONG on $REDIS_PORT"
  v="$($RCLI info server | tr -d '\r' | sed -n 's/^redis_version://p')"
  printf '%s\n6.2\n' "$v" | sort -V -C -r || die "redis $v is older than 6.2 (XAUTOCLAIM)"
  log "redis $v: PONG"
  if command -v psql >/dev/null; then
    v="$(psql -h 127.0.0.1 -p "$PG_PORT" -U jobsched -d jobsched -tAq -v ON_ERROR_STOP=1 \
      -c "SELECT current_user || ' ' || current_setting('server_version')")" || die "postgres: query as jobsched failed"
    [ "${v%% *}" = jobsched ] || die "postgres: connected as '${v%% *}', not jobsched"
    log "postgres $v: query as the jobsched role"
  else
    log "postgres: no psql here, the integration tests query it"
  fi
  if [ "$NR_ES" = 1 ]; then
    curl -sf -m 10 "http://127.0.0.1:$ES_PORT/_cluster/health" | grep -qE '"status":"(green|yellow)"' \
      || die "elasticsearch: not healthy on $ES_PORT"
    log "elasticsearch: healthy"
  fi
}
smoke

if [ -n "$NR_ITS" ]; then
  log "integration tests as $NR_USER: $NR_ITS (output in $NR_LOG)"
  t=$SECONDS
  if ! as_user "cd '$WORK' && eval \"\$(bash scripts/services.sh node-env)\" && export IT_HAZELCAST_PORT=$HZ_PORT &&
      mvn -B $offline verify -Dtest='NoSuch*' -Dsurefire.failIfNoSpecifiedTests=false -Dit.test='$NR_ITS'" \
      >"$NR_LOG" 2>&1; then
    grep -E 'Tests run:|FAIL|ERROR' "$NR_LOG" | tail -n 40 >&2 || true
    tail -n 60 "$NR_LOG" >&2
    die "integration tests failed as $NR_USER (whole output: $NR_LOG)"
  fi
  # one line per class, e.g. "Tests run: 3, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 2.1 s -- in io.jobsched.it.RunQueueIT"
  grep -E 'Tests run:.* -- in ' "$NR_LOG" | sed 's/^\[INFO\] /noroot:   /' >&2 || true
  log "integration tests passed in $((SECONDS - t)) s"
fi

# ---------------------------------------------------------------- down, up again: data kept

$RCLI set noroot:kept yes >/dev/null
if command -v psql >/dev/null; then
  PGOPTIONS='-c client_min_messages=warning' psql -h 127.0.0.1 -p "$PG_PORT" -U jobsched -d jobsched -q -v ON_ERROR_STOP=1 \
    -c "CREATE TABLE IF NOT EXISTS noroot_kept (v text); INSERT INTO noroot_kept VALUES ('yes')" \
    || die "postgres: could not write the table"
fi
# Redis and Postgres only: they are what this path brings (Elasticsearch is the same on every path, and
# its stop and start would add ~40 s)
for s in redis postgres; do
  as_user "cd '$WORK' && bash scripts/services.sh down $s" >&2 || die "services.sh down $s failed"
  as_user "cd '$WORK' && bash scripts/services.sh status $s" >/dev/null 2>&1 && die "status says $s is up after down"
done
for s in "${services[@]}"; do as_user "cd '$WORK' && bash scripts/services.sh up $s" >&2 || die "services.sh up $s (again) failed"; done
# a second up finds them running and changes nothing
for s in "${services[@]}"; do
  as_user "cd '$WORK' && bash scripts/services.sh up $s" | grep -q 'already running' || die "up $s again did not find it running"
done
[ "$($RCLI get noroot:kept)" = yes ] || die "redis: the key written before down is gone"
if command -v psql >/dev/null; then
  [ "$(psql -h 127.0.0.1 -p "$PG_PORT" -U jobsched -d jobsched -tAq -c "SELECT count(*) > 0 FROM noroot_kept")" = t ] \
    || die "postgres: the table written before down is gone"
fi
smoke
for s in "${services[@]}"; do as_user "cd '$WORK' && bash scripts/services.sh status $s" >&2 || die "status $s: not up"; done
log "data kept across down/up"
# cleanup (trap) takes them down
