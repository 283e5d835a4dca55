#!/usr/bin/env bash
# Installs (if missing) and runs the services jobsched needs, on loopback, with data under one folder:
#   scripts/services.sh up|down|status [redis|postgres|elasticsearch]
# Idempotent: a service that already answers is left alone. Works as root (CI) and as an ordinary user.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOME_DIR="${JOBSCHED_HOME:-$ROOT/.jobsched}"
REDIS_PORT="${JOBSCHED_REDIS_PORT:-16379}"
PG_PORT="${JOBSCHED_PG_PORT:-15432}"
ES_PORT="${JOBSCHED_ES_PORT:-19200}"
ES_TRANSPORT_PORT="${JOBSCHED_ES_TRANSPORT_PORT:-19300}"
ES_VERSION=8.19.21
PG_BIN=/usr/lib/postgresql/15/bin
ES_USER=jobsched-es

log() { printf '%s\n' "$*" >&2; }
die() { log "services: $*"; exit 1; }
is_root() { [ "$(id -u)" -eq 0 ]; }

java_home() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then echo "$JAVA_HOME"; return; fi
  local java; java="$(command -v java)" || die "no java on PATH"
  dirname "$(dirname "$(readlink -f "$java")")"
}

# Runs a command as the service's own user when we are root (Postgres and Elasticsearch refuse root).
as_user() {
  local user=$1; shift
  if is_root; then runuser -u "$user" -- "$@"; else "$@"; fi
}

apt_install() {
  local sudo=""
  if ! is_root; then
    command -v sudo >/dev/null || die "missing packages ($*) and no sudo: install them as root"
    sudo="sudo"
  fi
  while pgrep -x apt-get >/dev/null || pgrep -x dpkg >/dev/null; do sleep 2; done
  log "installing $* (apt)"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_packages() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  [ -x "$PG_BIN/initdb" ] || missing+=(postgresql)
  command -v unzip >/dev/null || missing+=(unzip)
  command -v curl >/dev/null || missing+=(curl)
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
}

wait_until() { # seconds description command...
  local secs=$1 what=$2; shift 2
  for _ in $(seq 1 $((secs * 2))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  log "services: $what did not come up within ${secs}s"
  return 1
}

# ---------------------------------------------------------------- Redis
redis_up_now() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]; }

redis_up() {
  if redis_up_now; then log "redis already up"; else
    mkdir -p "$HOME_DIR/redis"
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$HOME_DIR/redis" --daemonize yes \
      --pidfile "$HOME_DIR/redis/redis.pid" --logfile "$HOME_DIR/redis/redis.log" \
      --appendonly yes --appendfsync everysec --maxmemory-policy noeviction --save "" --protected-mode yes
    wait_until 30 redis redis_up_now || { tail -n 30 "$HOME_DIR/redis/redis.log" >&2; exit 1; }
  fi
  echo "redis          127.0.0.1:$REDIS_PORT"
}

redis_down() { redis_up_now && redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || true; }

# ---------------------------------------------------------------- PostgreSQL
pg_up_now() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; }

pg_up() {
  local data="$HOME_DIR/postgres" owner
  owner="$(id -un)"; is_root && owner=postgres
  if pg_up_now; then log "postgres already up"; else
    mkdir -p "$data"
    if is_root; then
      chown -R postgres:postgres "$data"
      # postgres must be able to reach its data dir through the checkout
      local d="$HOME_DIR"; while [ "$d" != "/" ]; do chmod o+x "$d" 2>/dev/null || true; d="$(dirname "$d")"; done
    fi
    chmod 700 "$data"
    if [ ! -f "$data/PG_VERSION" ]; then
      as_user "$owner" "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 >/dev/null
      cat >> "$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$data'
max_connections = 200
shared_buffers = 256MB
CONF
    fi
    as_user "$owner" "$PG_BIN/pg_ctl" -D "$data" -l "$data/postgres.log" -w -t 60 start >/dev/null \
      || { tail -n 30 "$data/postgres.log" >&2; exit 1; }
  fi
  local psql=(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -tAq)
  if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = 'jobsched'")" != "1" ]; then
    "${psql[@]}" -c "CREATE ROLE jobsched SUPERUSER LOGIN"
  fi
  if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = 'jobsched'")" != "1" ]; then
    "${psql[@]}" -c "CREATE DATABASE jobsched OWNER jobsched"
  fi
  echo "postgres       127.0.0.1:$PG_PORT db=jobsched user=jobsched (trust)"
}

pg_down() {
  local data="$HOME_DIR/postgres" owner
  owner="$(id -un)"; is_root && owner=postgres
  [ -f "$data/postmaster.pid" ] && as_user "$owner" "$PG_BIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
}

# ---------------------------------------------------------------- Elasticsearch
es_up_now() { curl -sf "http://127.0.0.1:$ES_PORT/_cluster/health" >/dev/null; }

es_install() {
  local dir="$HOME_DIR/elasticsearch-$ES_VERSION"
  [ -x "$dir/bin/elasticsearch" ] && return 0
  mkdir -p "$HOME_DIR/downloads"
  log "fetching Elasticsearch $ES_VERSION from Maven Central"
  (cd "$ROOT" && mvn -B -q dependency:copy \
    -Dartifact="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip" \
    -DoutputDirectory="$HOME_DIR/downloads") || die "could not fetch Elasticsearch"
  unzip -q -o "$HOME_DIR/downloads/elasticsearch-$ES_VERSION.zip" -d "$HOME_DIR"
  [ -x "$dir/bin/elasticsearch" ] || die "unexpected Elasticsearch archive layout under $HOME_DIR"
}

es_up() {
  local dir="$HOME_DIR/elasticsearch-$ES_VERSION" owner
  owner="$(id -un)"
  if es_up_now; then log "elasticsearch already up"; else
    es_install
    mkdir -p "$HOME_DIR/es-data" "$HOME_DIR/es-logs"
    if is_root; then
      id "$ES_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$ES_USER"
      chown -R "$ES_USER" "$dir" "$HOME_DIR/es-data" "$HOME_DIR/es-logs"
      local d="$HOME_DIR"; while [ "$d" != "/" ]; do chmod o+x "$d" 2>/dev/null || true; d="$(dirname "$d")"; done
      owner="$ES_USER"
    fi
    rm -f "$HOME_DIR/es-logs/es.pid"
    as_user "$owner" env ES_JAVA_HOME="$(java_home)" ES_JAVA_OPTS="-Xms512m -Xmx512m" \
      "$dir/bin/elasticsearch" -d -p "$HOME_DIR/es-logs/es.pid" \
      -E discovery.type=single-node -E xpack.security.enabled=false -E network.host=127.0.0.1 \
      -E http.port="$ES_PORT" -E transport.port="$ES_TRANSPORT_PORT" \
      -E path.data="$HOME_DIR/es-data" -E path.logs="$HOME_DIR/es-logs" \
      -E cluster.routing.allocation.disk.threshold_enabled=false >/dev/null \
      || { tail -n 40 "$HOME_DIR"/es-logs/*.log >&2 2>/dev/null; exit 1; }
    wait_until 180 elasticsearch es_up_now || { tail -n 40 "$HOME_DIR"/es-logs/*.log >&2 2>/dev/null; exit 1; }
  fi
  echo "elasticsearch  http://127.0.0.1:$ES_PORT"
}

es_down() {
  local pidfile="$HOME_DIR/es-logs/es.pid"
  if [ -f "$pidfile" ]; then
    local pid; pid="$(cat "$pidfile")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    rm -f "$pidfile"
  fi
}

status_of() { # name check
  if "$2"; then echo "$1 up"; else echo "$1 down"; return 1; fi
}

cmd="${1:-}"; only="${2:-all}"
case "$only" in all|redis|postgres|elasticsearch) ;; *) die "unknown service '$only'";; esac
want() { [ "$only" = all ] || [ "$only" = "$1" ]; }

case "$cmd" in
  up)
    mkdir -p "$HOME_DIR"
    ensure_packages
    want redis && redis_up
    want postgres && pg_up
    want elasticsearch && es_up
    ;;
  down)
    want elasticsearch && es_down
    want postgres && pg_down
    want redis && redis_down
    ;;
  status)
    rc=0
    want redis && { status_of redis redis_up_now || rc=1; }
    want postgres && { status_of postgres pg_up_now || rc=1; }
    want elasticsearch && { status_of elasticsearch es_up_now || rc=1; }
    exit $rc
    ;;
  *) die "usage: scripts/services.sh up|down|status [redis|postgres|elasticsearch]";;
esac
