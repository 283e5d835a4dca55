#!/usr/bin/env bash
# Installs (if missing) and runs the services jobsched needs, on loopback, everything under one folder:
#
#   scripts/services.sh up|down|status [redis|postgres|elasticsearch]
#   scripts/services.sh up|down|status redis-cluster   # only on request: a three-master Redis Cluster (below)
#   scripts/services.sh node-env      # shell lines that hand non-default ports to the node (see below)
#   scripts/services.sh prune-tests [MINUTES]   # drop test data older runs left behind (default: older than 60 min)
#
#   redis          127.0.0.1:${JOBSCHED_REDIS_PORT:-16379}   AOF (everysec), noeviction
#   postgres       127.0.0.1:${JOBSCHED_PG_PORT:-15432}      database and role jobsched, trust auth
#   elasticsearch  http://127.0.0.1:${JOBSCHED_ES_PORT:-19200} (transport ${JOBSCHED_ES_TRANSPORT_PORT:-19300})
#   redis-cluster  127.0.0.1:${JOBSCHED_REDIS_CLUSTER_PORTS:-17001 17002 17003}, masters only (no replicas), each
#                  with AOF and noeviction like the single Redis; the same redis-server and redis-cli binaries
#                  (system or Maven Central's 7.0.9), whose cluster mode needs nothing else. Each node also
#                  listens on its port + 10000 (the cluster bus). State in $JOBSCHED_HOME/redis-cluster/<port>.
#
# State (data, logs, pid files, the Elasticsearch install) lives in ${JOBSCHED_HOME:-<checkout>/.jobsched}.
# Idempotent: a service already running from this state folder is left alone (its pid file names the live
# process that listens on the port); a port held by anything else stops `up` with that process's pid and
# command line. Data is reused across down/up.
# Works as root (CI: Postgres and Elasticsearch then run as their own users) and as an ordinary user, on
# Debian or Ubuntu: PostgreSQL is whatever major the distribution ships (the newest installed, or the one
# that created the data folder). Needs no systemd; missing packages are installed with apt-get (sudo when
# not root), including procps (ps, pgrep, kill: the tests use them) and iproute2 (ss).
# Where apt-get cannot run (an ordinary user without passwordless sudo, macOS, other distributions) Redis 7.0
# and PostgreSQL 15 come from Maven Central instead, on the same ports and data folders:
# JOBSCHED_SERVICES_FROM=auto|apt|maven, see scripts/services-maven.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOME_DIR="${JOBSCHED_HOME:-$ROOT/.jobsched}"
REDIS_PORT="${JOBSCHED_REDIS_PORT:-16379}"
PG_PORT="${JOBSCHED_PG_PORT:-15432}"
ES_PORT="${JOBSCHED_ES_PORT:-19200}"
ES_TRANSPORT_PORT="${JOBSCHED_ES_TRANSPORT_PORT:-19300}"

PG_LIB=/usr/lib/postgresql
PG_BIN=""                                 # /usr/lib/postgresql/<major>/bin, set by pg_find_bin
PG_DATA="$HOME_DIR/postgres"
PG_LOG="$PG_DATA/postgres.log"
REDIS_DIR="$HOME_DIR/redis"
REDIS_CLUSTER_PORTS="${JOBSCHED_REDIS_CLUSTER_PORTS:-17001 17002 17003}"
REDIS_CLUSTER_DIR="$HOME_DIR/redis-cluster"   # one folder per port: AOF, nodes.conf, pid file, log
ES_VERSION=8.19.21
ES_DIR="$HOME_DIR/elasticsearch-$ES_VERSION"
ES_DATA="$HOME_DIR/es-data"
ES_LOGS="$HOME_DIR/es-logs"
ES_SNAPSHOTS="$HOME_DIR/es-snapshots"     # path.repo: where logs.snapshot_dir repositories may live
ES_PID="$ES_LOGS/es.pid"
ES_USER=jobsched-es                       # Elasticsearch refuses to run as root
DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1

log() { printf '%s\n' "$*" >&2; }
die() { log "services: $*"; exit 1; }
is_root() { [ "$(id -u)" -eq 0 ]; }

java_home() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then echo "$JAVA_HOME"; return; fi
  local java; java="$(command -v java)" || die "no java on PATH (a JDK 17 is needed)"
  dirname "$(dirname "$(readlink -f "$java")")"
}

# Runs a command as USER when we are root, as ourselves otherwise; from / so the user can always cd there.
# Daemons started this way must not inherit the lock (fd 9), or the next `up` would wait for it forever.
as_user() {
  local user=$1; shift
  if is_root; then (cd / && runuser -u "$user" -- "$@" 9>&-); else (cd / && "$@" 9>&-); fi
}

# Every folder from DIR up to / must be traversable by the service users when we run as root.
open_path() {
  local d=$1
  while [ "$d" != "/" ]; do chmod o+x "$d" 2>/dev/null || true; d="$(dirname "$d")"; done
}

# Alive and not a zombie (a killed daemon's parent is init, which may be slow to reap it).
pid_alive() {
  [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}
pid_from() { [ -s "$1" ] && head -n 1 "$1" | tr -dc '0-9' || true; }
# A process's command line: from /proc, else (macOS) from ps.
pid_cmdline() {
  if [ -r "/proc/$1/cmdline" ]; then tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null || true
  else ps -o command= -p "$1" 2>/dev/null || true; fi
}
# PID is alive and its command line contains TEXT (a pid file may outlive its process, and pids get reused).
pid_is() { pid_alive "$1" && pid_cmdline "$1" | grep -qaF -- "$2"; }

# Something accepts TCP connections on 127.0.0.1:PORT (bash's /dev/tcp: needs no client program).
tcp_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_until() { # seconds description command...
  local secs=$1 what=$2 deadline; shift 2
  deadline=$((SECONDS + secs))
  while ! "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || { log "services: $what did not come up within ${secs}s"; return 1; }
    sleep 0.5
  done
}

wait_gone() { # pid seconds
  local deadline=$((SECONDS + $2))
  while pid_alive "$1" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.3; done
  ! pid_alive "$1"
}

fail_with_log() { # service logfile...
  local name=$1; shift
  log "services: $name failed to start; last lines of its log:"
  local f; for f in "$@"; do [ -f "$f" ] && { log "--- $f"; tail -n 40 "$f" >&2; }; done
  exit 1
}

# ---------------------------------------------------------------- packages

# shellcheck source=scripts/services-maven.sh
. "$ROOT/scripts/services-maven.sh"

apt_install() {   # the same install scripts/browser.sh uses; the lock (fd 9) is not handed to apt
  bash "$ROOT/scripts/apt-install.sh" "$@" 9>&- || exit 1
}

# ARTIFACT (group:artifact:version[:type]) from Maven Central into DIR, with the Maven of the machine.
# Runs outside the checkout so a half-edited pom.xml cannot break the download.
maven_copy() { # artifact dir
  mkdir -p "$2"
  (cd "$2" && mvn -B -q "$DEPENDENCY_PLUGIN:copy" -Dartifact="$1" -DoutputDirectory="$2" \
    </dev/null >"$2/mvn.log" 2>&1 9>&-) \
    || { cat "$2/mvn.log" >&2; die "could not fetch $1 with Maven (log above)"; }
  rm -f "$2/mvn.log"
}

# The PostgreSQL binaries to use: those of the major that created the data folder, else the newest installed.
# Sets PG_BIN; fails (status 1) when that major is not installed.
pg_find_bin() {
  local want="" d best=""
  want="$(pg_data_version)"
  if [ -n "$want" ]; then
    PG_BIN="$PG_LIB/$want/bin"
    [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/psql" ]
    return
  fi
  for d in $(ls -d "$PG_LIB"/*/bin 2>/dev/null | sort -V); do
    [ -x "$d/initdb" ] && [ -x "$d/psql" ] && best="$d"
  done
  PG_BIN="$best"
  [ -n "$best" ]
}

# The major version that created the data folder (empty when there is none yet).
pg_data_version() {
  [ -f "$PG_DATA/PG_VERSION" ] && tr -dc '0-9' < "$PG_DATA/PG_VERSION" || true
}

ensure_packages() { # services...
  local missing=() tools=() s
  for s in "$@"; do
    case "$s" in
      redis) redis_choose || missing+=(redis-server) ;;
      postgres)
        if ! pg_choose; then
          # a data folder of a major that is not installed needs exactly that major
          PG_DATA_MAJOR="$(pg_data_version)"
          if [ -n "$PG_DATA_MAJOR" ]; then
            log "postgres: $PG_DATA was created by PostgreSQL $PG_DATA_MAJOR, which is not installed"
            missing+=("postgresql-$PG_DATA_MAJOR")
          else
            missing+=(postgresql)
          fi
        fi ;;
      elasticsearch)
        command -v unzip >/dev/null || missing+=(unzip)
        command -v curl >/dev/null || missing+=(curl)
        command -v mvn >/dev/null || die "Maven (mvn) is needed to fetch Elasticsearch" ;;
    esac
  done
  # the tests run kill, ps and pgrep; the port checks below run ss
  if ! command -v pgrep >/dev/null || ! command -v ps >/dev/null || { [ ! -x /bin/kill ] && [ ! -x /usr/bin/kill ]; }; then
    tools+=(procps)
  fi
  command -v ss >/dev/null || tools+=(iproute2)
  if [ ${#tools[@]} -gt 0 ]; then
    if [ "$SERVICES_FROM" != maven ] && { [ ${#missing[@]} -gt 0 ] || apt_usable; }; then
      missing+=("${tools[@]}")
    else   # the Maven path installs nothing with apt-get: the checks below make do (see port_taken, describe_pid)
      log "services: no ${tools[*]} here (not installed with apt-get on this path): ports are checked with" \
        "lsof or a connect, holders named only where lsof/ps can; the tests that run ps/pgrep need procps"
    fi
  fi
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
  if want postgres && [ "$PG_FROM" = apt ]; then
    pg_find_bin || die "postgres: no PostgreSQL server binaries in $PG_LIB/${PG_DATA_MAJOR:-*}/bin after apt-get install ${missing[*]}"
    PG_FROM=system
  fi
  return 0
}

# ---------------------------------------------------------------- ports

# Anything listening on TCP PORT (any address)? Without ss (macOS, no iproute2): lsof sees this user's
# listeners (all as root), a connect to 127.0.0.1 anyone's on loopback or the wildcard address.
port_taken() {
  if command -v ss >/dev/null; then [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]; return; fi
  { command -v lsof >/dev/null && lsof -nP -iTCP:"$1" -sTCP:LISTEN -t >/dev/null 2>&1; } || tcp_open "$1"
}

# The pids of the processes listening on PORT (as far as this user may see: all of them as root).
port_pids() {
  if command -v ss >/dev/null; then
    ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -un || true
  elif command -v lsof >/dev/null; then
    lsof -nP -iTCP:"$1" -sTCP:LISTEN -t 2>/dev/null | sort -un || true
  fi
}

describe_pid() {
  local user cmd
  user="$(ps -o user= -p "$1" 2>/dev/null | tr -d ' ' || true)"
  cmd="$(pid_cmdline "$1" | tr -s ' ' | sed 's/ $//' || true)"
  # long command lines (a JVM's) say most at both ends
  [ ${#cmd} -le 240 ] || cmd="${cmd:0:140} ... ${cmd: -90}"
  echo "pid $1${user:+ (user $user)}: ${cmd:-?}"
}

# Returns when PORT is free or held by OURS (the live process this state folder's pid file names); otherwise
# fails naming the process that holds it, which is not ours to reuse or stop.
claim_port() { # service port env-variable [ours]
  local name=$1 port=$2 var=$3 ours=${4:-} pids p
  port_taken "$port" || return 0
  pids="$(port_pids "$port")"
  if [ -n "$ours" ]; then
    for p in $pids; do [ "$p" = "$ours" ] && return 0; done
  fi
  if [ -z "$pids" ]; then
    die "$name: port $port is taken by a process this user cannot see (another user's; as root: ss -ltnp 'sport = :$port')." \
      "It is not this checkout's $name (state in $HOME_DIR): stop it, or choose another port with $var=..."
  fi
  local who=""; for p in $pids; do who+="${who:+; }$(describe_pid "$p")"; done
  die "$name: port $port is taken by $who -- not this checkout's $name (no live pid file of it in $HOME_DIR)." \
    "Stop that process, or choose another port with $var=..."
}

# ---------------------------------------------------------------- Redis

redis_up_now() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]; }

# Our Redis: the live redis-server our pid file names (empty when none).
redis_pid() {
  local pid; pid="$(pid_from "$REDIS_DIR/redis.pid")"
  if pid_is "$pid" redis-server; then echo "$pid"; fi
}

redis_up() {
  local note="(started)"
  claim_port redis "$REDIS_PORT" JOBSCHED_REDIS_PORT "$(redis_pid)"
  if redis_up_now; then
    note="(already running)"
  else
    mkdir -p "$REDIS_DIR"
    if ! pid_is "$(pid_from "$REDIS_DIR/redis.pid")" redis-server; then   # else it is still loading its AOF: wait
      rm -f "$REDIS_DIR/redis.pid"
      redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes --daemonize yes \
        --dir "$REDIS_DIR" --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" \
        --appendonly yes --appendfsync everysec --maxmemory-policy noeviction --save "" 9>&- \
        || fail_with_log redis "$REDIS_DIR/redis.log"
    fi
    # It writes its pid file once listening, before loading the AOF: no live pid after a few seconds
    # means it exited (port taken, bad AOF...), so fail fast instead of waiting out the timeout.
    local deadline=$((SECONDS + 120)) grace=$((SECONDS + 5))
    until redis_up_now; do
      if [ "$SECONDS" -ge "$deadline" ] \
        || { [ "$SECONDS" -ge "$grace" ] && ! pid_is "$(pid_from "$REDIS_DIR/redis.pid")" redis-server; }; then
        fail_with_log redis "$REDIS_DIR/redis.log"
      fi
      sleep 0.3
    done
  fi
  echo "redis          127.0.0.1:$REDIS_PORT $note"
}

redis_down() {
  local pid; pid="$(redis_pid)"
  [ -n "$pid" ] || return 0   # not ours (or not running): whoever holds the port is left alone
  if redis_up_now && port_pids "$REDIS_PORT" | grep -qx "$pid"; then
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || true   # fsyncs the AOF first
  elif pid_alive "$pid"; then
    kill "$pid" 2>/dev/null || true
  fi
  if pid_alive "$pid" && ! wait_gone "$pid" 30; then kill -9 "$pid" 2>/dev/null || true; fi
  wait_until 10 "redis shutdown" eval '! redis_up_now' || true
  rm -f "$REDIS_DIR/redis.pid"
}

# ---------------------------------------------------------------- Redis Cluster (on request)

rc_cli() { local port=$1; shift; redis-cli -h 127.0.0.1 -p "$port" "$@"; }
rc_node_up_now() { [ "$(rc_cli "$1" ping 2>/dev/null)" = "PONG" ]; }
rc_info() { rc_cli "$1" cluster info 2>/dev/null | tr -d '\r' | grep "^$2:" | cut -d: -f2; }
# Every master answers and agrees the cluster serves all 16384 slots.
rc_ok() {
  local p; for p in $REDIS_CLUSTER_PORTS; do [ "$(rc_info "$p" cluster_state)" = ok ] || return 1; done
}
rc_status_now() { local p; for p in $REDIS_CLUSTER_PORTS; do rc_node_up_now "$p" || return 1; done; rc_ok; }

# Our cluster node on PORT: the live redis-server its pid file names (empty when none).
rc_pid() {
  local pid; pid="$(pid_from "$REDIS_CLUSTER_DIR/$1/redis.pid")"
  if pid_is "$pid" redis-server; then echo "$pid"; fi
}

rc_node_up() { # port
  local port=$1 dir="$REDIS_CLUSTER_DIR/$1"
  claim_port redis-cluster "$port" JOBSCHED_REDIS_CLUSTER_PORTS "$(rc_pid "$port")"
  rc_node_up_now "$port" && return 0
  mkdir -p "$dir"
  if [ -z "$(rc_pid "$port")" ]; then   # else it is still loading its AOF: wait
    rm -f "$dir/redis.pid"
    redis-server --cluster-enabled yes --cluster-config-file "$dir/nodes.conf" --cluster-node-timeout 5000 \
      --bind 127.0.0.1 --port "$port" --protected-mode yes --daemonize yes \
      --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" \
      --appendonly yes --appendfsync everysec --maxmemory-policy noeviction --save "" 9>&- \
      || fail_with_log "redis-cluster $port" "$dir/redis.log"
  fi
  local deadline=$((SECONDS + 120)) grace=$((SECONDS + 5))
  until rc_node_up_now "$port"; do
    if [ "$SECONDS" -ge "$deadline" ] || { [ "$SECONDS" -ge "$grace" ] && [ -z "$(rc_pid "$port")" ]; }; then
      fail_with_log "redis-cluster $port" "$dir/redis.log"
    fi
    sleep 0.3
  done
}

rc_up() {
  local p n=0 note="(started)" seeds=()
  for p in $REDIS_CLUSTER_PORTS; do n=$((n + 1)); seeds+=("127.0.0.1:$p"); done
  [ "$n" -ge 3 ] || die "redis-cluster: a Redis Cluster needs at least three masters, JOBSCHED_REDIS_CLUSTER_PORTS has $n"
  rc_status_now && note="(already running)"
  for p in $REDIS_CLUSTER_PORTS; do rc_node_up "$p"; done
  # Created once: after that each node's nodes.conf remembers the cluster across down/up. Slots assigned
  # anywhere mean it exists (perhaps still converging), and create would refuse to touch those nodes anyway.
  local assigned=0 slots
  for p in $REDIS_CLUSTER_PORTS; do slots="$(rc_info "$p" cluster_slots_assigned)"; assigned=$((assigned + ${slots:-0})); done
  if [ "$assigned" -eq 0 ]; then
    log "redis-cluster: creating the cluster of ${seeds[*]}"
    redis-cli --cluster create "${seeds[@]}" --cluster-replicas 0 --cluster-yes </dev/null >"$REDIS_CLUSTER_DIR/create.log" 2>&1 9>&- \
      || fail_with_log redis-cluster "$REDIS_CLUSTER_DIR/create.log"
    note="(created)"
  fi
  wait_until 60 "redis-cluster (cluster_state:ok on every master)" rc_ok \
    || { for p in $REDIS_CLUSTER_PORTS; do log "--- 127.0.0.1:$p"; rc_cli "$p" cluster info >&2 || true; done; exit 1; }
  echo "redis-cluster  ${seeds[*]} $note"
}

rc_down() {
  local p pid
  for p in $REDIS_CLUSTER_PORTS; do
    pid="$(rc_pid "$p")"
    [ -n "$pid" ] || continue   # not ours (or not running): whoever holds the port is left alone
    if rc_node_up_now "$p" && port_pids "$p" | grep -qx "$pid"; then
      rc_cli "$p" shutdown >/dev/null 2>&1 || true   # fsyncs the AOF and saves nodes.conf first
    else
      kill "$pid" 2>/dev/null || true
    fi
    if pid_alive "$pid" && ! wait_gone "$pid" 30; then kill -9 "$pid" 2>/dev/null || true; fi
    rm -f "$REDIS_CLUSTER_DIR/$p/redis.pid"
  done
}

rc_owner_notes() {
  local p out=""; for p in $REDIS_CLUSTER_PORTS; do out+="$(owner_note "$p" "$(rc_pid "$p")")"; done
  echo "$out"
}

# ---------------------------------------------------------------- PostgreSQL

# As root the server runs as postgres (the packages' user), or as jobsched-pg where no package made one.
pg_owner() {
  if ! is_root; then id -un
  elif id postgres >/dev/null 2>&1; then echo postgres
  else echo jobsched-pg; fi
}

# The unix socket path must stay under ~107 bytes; in a deep checkout fall back to a folder in /tmp.
pg_socket_dir() {
  if [ ${#PG_DATA} -le 80 ]; then echo "$PG_DATA"; else echo "/tmp/jobsched-pg-$(id -u)-$PG_PORT"; fi
}

# The Maven binaries have no clients: readiness then comes from the pid file and the port (pg_ready_by_pidfile).
pg_up_now() {
  if [ -x "$PG_BIN/pg_isready" ]; then "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres 2>/dev/null
  else pg_ready_by_pidfile; fi
}

# psql: the installed major's, else any on PATH (a client of another major talks to this server just as well).
pg_psql_bin() {
  if [ -x "$PG_BIN/psql" ]; then echo "$PG_BIN/psql"; else command -v psql || true; fi
}
pg_psql() { "$(pg_psql_bin)" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -tAq "$@"; }

pg_configure() { # our settings live in jobsched.conf, included last from postgresql.conf, rewritten each start
  local owner=$1 sock conf
  sock="$(pg_socket_dir)"
  mkdir -p "$sock"
  is_root && [ "$sock" != "$PG_DATA" ] && chown "$owner" "$sock"
  conf="listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$sock'
max_connections = 200
shared_buffers = 256MB
fsync = on
# WAL between checkpoints: a 200,000-run spike writes ~700 MB of it; at the default 1 GB a checkpoint (and the
# full-page images after it) landed in most spikes
max_wal_size = 4GB
# per-statement counters for profiling (docs/performance.md); costs well under 1 % here
shared_preload_libraries = 'pg_stat_statements'"
  if [ "$(cat "$PG_DATA/jobsched.conf" 2>/dev/null || true)" != "$conf" ]; then
    printf '%s\n' "$conf" > "$PG_DATA/jobsched.conf"
  fi
  grep -q "^include_if_exists = 'jobsched.conf'" "$PG_DATA/postgresql.conf" \
    || printf "\n# jobsched (scripts/services.sh)\ninclude_if_exists = 'jobsched.conf'\n" >> "$PG_DATA/postgresql.conf"
  is_root && chown "$owner:" "$PG_DATA/jobsched.conf" "$PG_DATA/postgresql.conf"
  return 0
}

# Our Postgres: the live postmaster that our data folder's postmaster.pid names (empty when none).
pg_pid() {
  local pid; pid="$(pid_from "$PG_DATA/postmaster.pid")"
  if pid_is "$pid" postgres; then echo "$pid"; fi
}

pg_up() {
  local owner note="(started)"; owner="$(pg_owner)"
  claim_port postgres "$PG_PORT" JOBSCHED_PG_PORT "$(pg_pid)"
  if pg_up_now; then
    note="(already running)"
    # settings changed since it started: those a reload takes apply now (the rest at its next start)
    pg_configure "$owner"
    if [ -x "$PG_BIN/psql" ]; then pg_psql -c "SELECT pg_reload_conf()" >/dev/null || true
    else as_user "$owner" "$PG_BIN/pg_ctl" -D "$PG_DATA" reload >/dev/null 2>&1 || true; fi
  else
    mkdir -p "$PG_DATA"
    if is_root; then
      id "$owner" >/dev/null 2>&1 || useradd --system --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin "$owner" || die "could not create user $owner"
      [ "$(stat -c %U "$PG_DATA")" = "$owner" ] || chown -R "$owner:" "$PG_DATA"
      open_path "$HOME_DIR"
    fi
    chmod 700 "$PG_DATA"
    if [ ! -f "$PG_DATA/PG_VERSION" ]; then
      log "postgres: creating the cluster in $PG_DATA"
      # C.UTF-8 as on Debian; where the C library has none (macOS) the C locale with UTF-8 encoding
      local locale=C.UTF-8
      locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$' || locale=C
      as_user "$owner" "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale="$locale" >/dev/null \
        || die "initdb failed"
    fi
    pg_configure "$owner"
    # Lock files left by a killed server block the start when their pid is a zombie (init here may not
    # reap) or now belongs to another process: drop them unless a live postgres holds them.
    local lock pid
    for lock in "$PG_DATA/postmaster.pid" "$(pg_socket_dir)/.s.PGSQL.$PG_PORT.lock"; do
      [ -f "$lock" ] || continue
      pid="$(pid_from "$lock")"
      pid_is "$pid" postgres || rm -f "$lock"
    done
    # no psql with these binaries (Maven's): the role and database are made now, in single-user mode, so
    # that this path needs no client from anywhere else
    [ -x "$PG_BIN/psql" ] || pg_setup_single_user "$owner"
    as_user "$owner" "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 120 start >/dev/null \
      || fail_with_log postgres "$PG_LOG"
    wait_until 30 postgres pg_up_now || fail_with_log postgres "$PG_LOG"
  fi
  if [ ! -x "$PG_BIN/psql" ]; then
    echo "postgres       127.0.0.1:$PG_PORT db=jobsched user=jobsched auth=trust $note"
    return
  fi
  if [ "$(pg_psql -c "SELECT 1 FROM pg_roles WHERE rolname = 'jobsched'")" != "1" ]; then
    pg_psql -c "CREATE ROLE jobsched SUPERUSER CREATEDB LOGIN" || die "could not create role jobsched"
  fi
  if [ "$(pg_psql -c "SELECT 1 FROM pg_database WHERE datname = 'jobsched'")" != "1" ]; then
    pg_psql -c "CREATE DATABASE jobsched OWNER jobsched" || die "could not create database jobsched"
  fi
  echo "postgres       127.0.0.1:$PG_PORT db=jobsched user=jobsched auth=trust $note"
}

pg_down() {
  [ -f "$PG_DATA/PG_VERSION" ] || return 0
  if as_user "$(pg_owner)" "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    as_user "$(pg_owner)" "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null
  fi
}

# ---------------------------------------------------------------- Elasticsearch

es_up_now() { curl -sf -m 5 "http://127.0.0.1:$ES_PORT/_cluster/health" >/dev/null; }
es_ready() { curl -sf -m 5 "http://127.0.0.1:$ES_PORT/_cluster/health?wait_for_status=yellow&timeout=2s" >/dev/null; }

# The pid of our Elasticsearch: from its pid file, else by its install path on the command line.
es_pid() {
  local pid; pid="$(pid_from "$ES_PID")"
  if pid_is "$pid" "-Des.path.home=$ES_DIR"; then echo "$pid"; return; fi
  command -v pgrep >/dev/null && pgrep -f -- "-Des.path.home=$ES_DIR( |$)" | head -n 1 || true
}

es_install() {
  [ -x "$ES_DIR/bin/elasticsearch" ] && return 0
  local dl="$HOME_DIR/downloads" tmp="$HOME_DIR/.es-unpack"
  mkdir -p "$dl"
  log "elasticsearch: fetching $ES_VERSION from Maven Central (integ-test zip, ~100 MB)"
  maven_copy "org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip" "$dl"
  rm -rf "$tmp"; mkdir -p "$tmp"
  unzip -q "$dl/elasticsearch-$ES_VERSION.zip" -d "$tmp" || die "could not unzip $dl/elasticsearch-$ES_VERSION.zip"
  [ -x "$tmp/elasticsearch-$ES_VERSION/bin/elasticsearch" ] || die "unexpected layout in elasticsearch-$ES_VERSION.zip"
  mv "$tmp/elasticsearch-$ES_VERSION" "$ES_DIR"
  rm -rf "$tmp" "$dl/elasticsearch-$ES_VERSION.zip"   # the zip stays in the Maven local repository
}

es_up() {
  local owner note="(started)" ours; owner="$(id -un)"
  ours="$(es_pid)"
  claim_port elasticsearch "$ES_PORT" JOBSCHED_ES_PORT "$ours"
  claim_port elasticsearch "$ES_TRANSPORT_PORT" JOBSCHED_ES_TRANSPORT_PORT "$ours"
  if es_up_now; then
    note="(already running)"
  else
    es_install
    mkdir -p "$ES_DATA" "$ES_LOGS" "$ES_SNAPSHOTS"
    if is_root; then
      id "$ES_USER" >/dev/null 2>&1 || useradd --system --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin "$ES_USER" || die "could not create user $ES_USER"
      local d; for d in "$ES_DIR" "$ES_DATA" "$ES_LOGS" "$ES_SNAPSHOTS"; do
        [ "$(stat -c %U "$d")" = "$ES_USER" ] || chown -R "$ES_USER:" "$d"
      done
      open_path "$HOME_DIR"
      owner="$ES_USER"
    fi
    if [ -z "$(es_pid)" ]; then    # else it is still starting: wait for it
      rm -f "$ES_PID"
      # -d returns once the node has started; its own output goes to startup.log.
      as_user "$owner" env ES_JAVA_HOME="$(java_home)" ES_JAVA_OPTS="-Xms512m -Xmx512m" \
        "$ES_DIR/bin/elasticsearch" -d -p "$ES_PID" \
        -E discovery.type=single-node -E xpack.security.enabled=false -E network.host=127.0.0.1 \
        -E http.port="$ES_PORT" -E transport.port="$ES_TRANSPORT_PORT" \
        -E path.data="$ES_DATA" -E path.logs="$ES_LOGS" -E path.repo="$ES_SNAPSHOTS" \
        -E cluster.routing.allocation.disk.threshold_enabled=false \
        </dev/null >"$HOME_DIR/es-startup.log" 2>&1 \
        || fail_with_log elasticsearch "$HOME_DIR/es-startup.log" "$ES_LOGS/elasticsearch.log"
    fi
    wait_until 150 elasticsearch es_ready \
      || fail_with_log elasticsearch "$HOME_DIR/es-startup.log" "$ES_LOGS/elasticsearch.log"
  fi
  echo "elasticsearch  http://127.0.0.1:$ES_PORT $note"
}

es_down() {
  local pid; pid="$(es_pid)"
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait_gone "$pid" 60 || { log "elasticsearch did not stop in 60s; killing it"; kill -9 "$pid" 2>/dev/null || true; wait_gone "$pid" 10 || true; }
  fi
  rm -f "$ES_PID"
}

# ---------------------------------------------------------------- test leftovers

# What integration tests (isolations it_<name>_<id>) and benchmarks (bench_...) leave on the services when
# their JVM dies before its own clean-up: databases created more than MINUTES ago that nobody is connected
# to, then the Elasticsearch indices (also older than MINUTES) and templates and the Redis keys (idle for
# MINUTES) of isolations whose database is gone. Running tests keep theirs.
prune_tests() { # minutes
  local minutes=$1 db n=0 live es="http://127.0.0.1:$ES_PORT" now names=() name iso created prefix
  pg_up_now || die "prune-tests: postgres is not running on $PG_PORT (scripts/services.sh up)"
  for db in $(pg_psql -c "SELECT datname FROM pg_database d WHERE (datname LIKE 'it\_%' OR datname LIKE 'bench\_%')
      AND (pg_stat_file('base/' || oid || '/PG_VERSION')).modification < now() - make_interval(mins => $minutes)
      AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)"); do
    # no FORCE: a test that connected in the meantime keeps its database
    if pg_psql -c "DROP DATABASE \"$db\"" 2>/dev/null; then n=$((n + 1)); fi
  done
  echo "postgres       dropped $n test databases"
  live="$(pg_psql -c "SELECT datname FROM pg_database WHERE datname LIKE 'it\_%' OR datname LIKE 'bench\_%'")"
  is_live() { grep -qxF -- "$1" <<<"$live"; }

  if es_up_now; then
    now=$(($(date +%s) * 1000))
    while read -r name created; do
      [ -n "$name" ] || continue
      iso="${name%%-logs*}"
      if ! is_live "$iso" && [ $((now - created)) -gt $((minutes * 60000)) ]; then names+=("$name"); fi
    done < <(curl -sf -m 30 "$es/_cat/indices/it_*,bench_*?h=index,creation.date&expand_wildcards=all" || true)
    # Elasticsearch 8 refuses wildcard deletes: name them, a few dozen per request
    local i; for ((i = 0; i < ${#names[@]}; i += 50)); do
      local batch; batch="$(IFS=,; echo "${names[*]:i:50}")"
      curl -sf -m 60 -XDELETE "$es/$batch" >/dev/null || log "prune-tests: could not delete indices $batch"
    done
    n=0
    while read -r name; do
      [ -n "$name" ] || continue
      is_live "${name%-logs}" && continue
      curl -sf -m 30 -XDELETE "$es/_index_template/$name" >/dev/null && n=$((n + 1))
    done < <(curl -sf -m 30 "$es/_cat/templates?h=name" | grep -E '^(it|bench)_' || true)
    echo "elasticsearch  deleted ${#names[@]} test indices, $n templates"
  fi

  if redis_up_now; then
    n=0
    # one script per isolation: SCAN its keys, UNLINK those idle for long enough
    local script='local c, n = "0", 0
      repeat
        local r = redis.call("SCAN", c, "MATCH", ARGV[1], "COUNT", 1000); c = r[1]
        for _, k in ipairs(r[2]) do
          if redis.call("OBJECT", "IDLETIME", k) >= tonumber(ARGV[2]) then redis.call("UNLINK", k); n = n + 1 end
        end
      until c == "0"
      return n'
    for prefix in $( { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" --scan --pattern 'it_*'
                       redis-cli -h 127.0.0.1 -p "$REDIS_PORT" --scan --pattern 'bench_*'; } | cut -d: -f1 | sort -u); do
      is_live "$prefix" && continue
      [[ "$prefix" =~ ^[a-z0-9_]+$ ]] || continue
      n=$((n + $(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" eval "$script" 0 "$prefix:*" $((minutes * 60)))))
    done
    echo "redis          unlinked $n test keys"
  fi
}

# ---------------------------------------------------------------- commands

# " (not this checkout's: ...)" when PORT is held by anything but OURS.
owner_note() { # port [ours]
  port_taken "$1" || return 0
  local pids; pids="$(port_pids "$1")"
  if [ -n "${2:-}" ] && grep -qx -- "$2" <<<"$pids"; then return 0; fi
  if [ -n "$pids" ]; then echo " (not this checkout's: $(describe_pid "$(head -n 1 <<<"$pids")"))"
  else echo " (not this checkout's: another user's process)"; fi
}

status_line() { # name check where
  if "$2"; then printf '%-14s %-5s %s\n' "$1" up "$3"; else printf '%-14s %-5s %s\n' "$1" down "$3"; return 1; fi
}

# The node reads every JOBSCHED_<SECTION>_<KEY> variable as a config override and rejects unknown ones,
# so the variables of this script must not reach it: translate them into node keys, then drop them.
node_env() {
  [ -n "${JOBSCHED_REDIS_PORT:-}" ] && [ -z "${JOBSCHED_REDIS_URL:-}" ] \
    && echo "export JOBSCHED_REDIS_URL=redis://127.0.0.1:$REDIS_PORT"
  [ -n "${JOBSCHED_PG_PORT:-}" ] && [ -z "${JOBSCHED_POSTGRES_PORT:-}" ] \
    && echo "export JOBSCHED_POSTGRES_PORT=$PG_PORT"
  [ -n "${JOBSCHED_ES_PORT:-}" ] && [ -z "${JOBSCHED_ELASTICSEARCH_URL:-}" ] \
    && echo "export JOBSCHED_ELASTICSEARCH_URL=http://127.0.0.1:$ES_PORT"
  # ...and keeps them as IT_JOBSCHED_* for the tests that stop and start these same services (it/Services.java)
  local v
  for v in JOBSCHED_HOME JOBSCHED_REDIS_PORT JOBSCHED_PG_PORT JOBSCHED_ES_PORT JOBSCHED_ES_TRANSPORT_PORT JOBSCHED_SERVICES_FROM \
      JOBSCHED_REDIS_CLUSTER_PORTS; do
    if [ -n "${!v:-}" ]; then printf 'export IT_%s=%q\n' "$v" "${!v}"; fi
  done
  echo "unset JOBSCHED_HOME JOBSCHED_REDIS_PORT JOBSCHED_PG_PORT JOBSCHED_ES_PORT JOBSCHED_ES_TRANSPORT_PORT JOBSCHED_SERVICES_FROM" \
    "JOBSCHED_REDIS_CLUSTER_PORTS"
}

usage() { die "usage: scripts/services.sh up|down|status [redis|postgres|elasticsearch|redis-cluster] | node-env | prune-tests [MINUTES]"; }

cmd="${1:-}"
[ $# -le 2 ] || usage
only="${2:-all}"
if [ "$cmd" = prune-tests ]; then
  minutes="${2:-60}"; only=all
  [[ "$minutes" =~ ^[0-9]+$ ]] || usage
fi
case "$only" in all|redis|postgres|elasticsearch|redis-cluster) ;; *) usage ;; esac
# redis-cluster is never part of "all": it runs only when asked for by name
want() { [ "$only" = all ] || [ "$only" = "$1" ]; }
services=(); for s in redis postgres elasticsearch; do want "$s" && services+=("$s"); done
# the cluster runs the same binaries as the single Redis
[ "$only" = redis-cluster ] && services=(redis)

LOCK_DIR=""
lock() { # one up/down at a time per state folder
  mkdir -p "$HOME_DIR"
  if command -v flock >/dev/null; then
    exec 9>"$HOME_DIR/.lock"
    flock -w 600 9 || die "another scripts/services.sh is still running (lock $HOME_DIR/.lock)"
    return
  fi
  # no flock (macOS): a folder that holds the owner's pid; one whose owner is gone is stale
  local deadline=$((SECONDS + 600)) p
  LOCK_DIR="$HOME_DIR/.lock.d"
  until mkdir "$LOCK_DIR" 2>/dev/null; do
    p="$(pid_from "$LOCK_DIR/pid")"
    if [ -n "$p" ] && ! pid_alive "$p"; then rm -rf "$LOCK_DIR"; continue; fi
    [ "$SECONDS" -lt "$deadline" ] || die "another scripts/services.sh is still running (lock $LOCK_DIR)"
    sleep 1
  done
  echo $$ > "$LOCK_DIR/pid"
  trap 'rm -rf "$LOCK_DIR"' EXIT
}

case "$cmd" in
  up)
    lock
    ensure_packages "${services[@]}"
    if want redis; then redis_up; fi
    if want postgres; then pg_up; fi
    if want elasticsearch; then es_up; fi
    if [ "$only" = redis-cluster ]; then rc_up; fi
    ;;
  down)   # stops this checkout's services only; a port held by anything else is left alone
    lock
    use_installed_bins
    if want elasticsearch; then es_down; echo "elasticsearch  stopped"; fi
    if want postgres && [ -x "$PG_BIN/pg_ctl" ]; then pg_down; echo "postgres       stopped"; fi
    if want redis && command -v redis-cli >/dev/null; then redis_down; echo "redis          stopped"; fi
    if [ "$only" = redis-cluster ] && command -v redis-cli >/dev/null; then rc_down; echo "redis-cluster  stopped"; fi
    ;;
  status)
    rc=0
    use_installed_bins
    if want redis; then status_line redis redis_up_now "127.0.0.1:$REDIS_PORT$(owner_note "$REDIS_PORT" "$(redis_pid)")" || rc=1; fi
    if want postgres; then status_line postgres pg_up_now "127.0.0.1:$PG_PORT db=jobsched user=jobsched$(owner_note "$PG_PORT" "$(pg_pid)")" || rc=1; fi
    if want elasticsearch; then status_line elasticsearch es_up_now "http://127.0.0.1:$ES_PORT$(owner_note "$ES_PORT" "$(es_pid)")" || rc=1; fi
    if [ "$only" = redis-cluster ]; then
      status_line redis-cluster rc_status_now "127.0.0.1:${REDIS_CLUSTER_PORTS// /,}$(rc_owner_notes)" || rc=1
    fi
    exit $rc
    ;;
  prune-tests)
    use_installed_bins
    [ -n "$PG_BIN" ] || die "prune-tests: PostgreSQL is not installed"
    [ -n "$(pg_psql_bin)" ] || die "prune-tests needs psql, which the Maven Central binaries lack: install a" \
      "PostgreSQL client (apt-get install postgresql-client, brew install libpq) or remove the state folder"
    prune_tests "$minutes"
    ;;
  node-env)
    node_env
    ;;
  *) usage ;;
esac
