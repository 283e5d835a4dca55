# Sourced by scripts/services.sh: Redis and PostgreSQL from Maven Central, for machines where apt-get cannot
# be used (not root and no passwordless sudo, or no apt-get at all: macOS, other distributions). Elasticsearch
# comes from Maven Central on every path already. Same ports, data folders and settings as the apt path; only
# the binaries differ, unpacked once into the state folder:
#
#   $JOBSCHED_HOME/postgres-<v>/   io.zonky.test.postgres:embedded-postgres-binaries-<os>-<arch> (a .txz inside the jar;
#                                  initdb, pg_ctl and postgres only: no psql, no pg_isready)
#   $JOBSCHED_HOME/redis-<v>/bin/  redis-server and redis-cli out of com.github.lansheng228:embedded-redis
#
# JOBSCHED_SERVICES_FROM chooses: auto (default: installed binaries, else apt-get when it can run, else
# Maven), apt (the package path only), maven (these binaries even when others are installed).

SERVICES_FROM="${JOBSCHED_SERVICES_FROM:-auto}"
case "$SERVICES_FROM" in auto|apt|maven) ;; *) die "JOBSCHED_SERVICES_FROM must be auto, apt or maven (is '$SERVICES_FROM')" ;; esac

# PostgreSQL 15 as the project specifies; 15.19.0 is the newest 15.x zonky publishes for all four platforms.
MVN_PG_VERSION=15.19.0
MVN_PG_MAJOR=${MVN_PG_VERSION%%.*}
MVN_PG_DIR="$HOME_DIR/postgres-$MVN_PG_VERSION"
# The only Maven Central artifact found with a Redis 7 server: static Linux binaries (amd64, arm64) with
# redis-cli; its "darwin-arm64" file is an x86_64 build (runs under Rosetta 2). codemonstur's embedded-redis
# 1.4.3 has Redis 6.2 only (and its Linux build needs OpenSSL 3).
MVN_REDIS_ARTIFACT=com.github.lansheng228:embedded-redis
MVN_REDIS_VERSION=7.0.9
MVN_REDIS_BIN="$HOME_DIR/redis-$MVN_REDIS_VERSION/bin"

PG_FROM=""      # system | apt | maven: where the PostgreSQL binaries of this run come from (pg_choose)
REDIS_FROM=""   # the same for Redis (redis_choose)

# apt-get can run here: it exists, and we are root or sudo works without a password (no one to type it).
apt_usable() {
  command -v apt-get >/dev/null || return 1
  is_root && return 0
  command -v sudo >/dev/null && sudo -n true 2>/dev/null
}

# zonky's and the Redis jar's names for this machine; fails on anything else.
maven_platform() { # pg|redis
  local os arch
  os="$(uname -s)"; arch="$(uname -m)"
  case "$os/$arch/$1" in
    Linux/x86_64/pg) echo linux-amd64 ;;
    Linux/aarch64/pg|Linux/arm64/pg) echo linux-arm64v8 ;;
    Darwin/x86_64/pg) echo darwin-amd64 ;;
    Darwin/arm64/pg) echo darwin-arm64v8 ;;
    Linux/x86_64/redis) echo linux-amd64 ;;
    Linux/aarch64/redis|Linux/arm64/redis) echo linux-arm64 ;;
    Darwin/x86_64/redis) echo darwin-amd64 ;;
    Darwin/arm64/redis) echo darwin-arm64 ;;
    *) die "no $1 binaries on Maven Central for $os/$arch: install them with the system's packages" ;;
  esac
}

# Unpacks a .txz: tar -J needs xz (GNU tar) or is built in (bsdtar, macOS); else Python's tarfile reads it.
unpack_txz() { # file dir
  if command -v xz >/dev/null || [ "$(uname -s)" = Darwin ]; then
    tar -xJf "$1" -C "$2"
  elif command -v python3 >/dev/null; then
    python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1], "r:xz").extractall(sys.argv[2])' "$1" "$2"
  else
    die "cannot unpack $1: neither xz (xz-utils) nor python3 is installed"
  fi
}

mvn_pg_install() {
  [ -x "$MVN_PG_DIR/bin/pg_ctl" ] && return 0
  command -v mvn >/dev/null || die "Maven (mvn) is needed to fetch PostgreSQL binaries"
  command -v unzip >/dev/null || die "unzip is needed to unpack the PostgreSQL binaries"
  local plat dl="$HOME_DIR/downloads" tmp="$HOME_DIR/.pg-unpack" txz
  plat="$(maven_platform pg)"
  log "postgres: fetching $MVN_PG_VERSION ($plat) from Maven Central (~15 MB)"
  maven_copy "io.zonky.test.postgres:embedded-postgres-binaries-$plat:$MVN_PG_VERSION" "$dl"
  rm -rf "$tmp"; mkdir -p "$tmp"
  unzip -q "$dl/embedded-postgres-binaries-$plat-$MVN_PG_VERSION.jar" '*.txz' -d "$tmp" \
    || die "no .txz in embedded-postgres-binaries-$plat-$MVN_PG_VERSION.jar"
  txz="$(ls "$tmp"/*.txz | head -n 1)"
  mkdir -p "$tmp/pg"
  unpack_txz "$txz" "$tmp/pg" || die "could not unpack $txz"
  [ -x "$tmp/pg/bin/pg_ctl" ] && [ -x "$tmp/pg/bin/initdb" ] || die "unexpected layout in $txz"
  mv "$tmp/pg" "$MVN_PG_DIR"
  rm -rf "$tmp" "$dl/embedded-postgres-binaries-$plat-$MVN_PG_VERSION.jar"   # the jar stays in the Maven repository
}

mvn_redis_install() {
  [ -x "$MVN_REDIS_BIN/redis-server" ] && [ -x "$MVN_REDIS_BIN/redis-cli" ] && return 0
  command -v mvn >/dev/null || die "Maven (mvn) is needed to fetch Redis binaries"
  command -v unzip >/dev/null || die "unzip is needed to unpack the Redis binaries"
  local plat dl="$HOME_DIR/downloads" tmp="$HOME_DIR/.redis-unpack" jar b
  plat="$(maven_platform redis)"
  log "redis: fetching $MVN_REDIS_VERSION ($plat) from Maven Central (~55 MB: every platform's binaries)"
  maven_copy "$MVN_REDIS_ARTIFACT:$MVN_REDIS_VERSION" "$dl"
  jar="$dl/${MVN_REDIS_ARTIFACT#*:}-$MVN_REDIS_VERSION.jar"
  rm -rf "$tmp"; mkdir -p "$tmp/bin"
  for b in redis-server redis-cli; do
    unzip -q -p "$jar" "$b-$MVN_REDIS_VERSION-$plat" > "$tmp/bin/$b" && [ -s "$tmp/bin/$b" ] \
      || die "no $b-$MVN_REDIS_VERSION-$plat in $jar"
    chmod 755 "$tmp/bin/$b"
  done
  "$tmp/bin/redis-server" --version >/dev/null || die "$tmp/bin/redis-server does not run on this machine"
  mkdir -p "$(dirname "$MVN_REDIS_BIN")"
  rm -rf "$MVN_REDIS_BIN"; mv "$tmp/bin" "$MVN_REDIS_BIN"
  rm -rf "$tmp" "$jar"
}

# ---------------------------------------------------------------- which binaries

# The Maven PostgreSQL can run the data folder: none yet, or one its major created.
mvn_pg_fits() { local v; v="$(pg_data_version)"; [ -z "$v" ] || [ "$v" = "$MVN_PG_MAJOR" ]; }

mvn_pg_use() {
  mvn_pg_fits || die "postgres: $PG_DATA was created by PostgreSQL $(pg_data_version); the Maven binaries are" \
    "$MVN_PG_VERSION. Use that major's packages (JOBSCHED_SERVICES_FROM=apt) or another JOBSCHED_HOME"
  mvn_pg_install
  PG_BIN="$MVN_PG_DIR/bin"; PG_FROM=maven
}

# Sets PG_BIN and PG_FROM; returns 1 when apt-get has to install the packages (PG_FROM=apt).
pg_choose() {
  case "$SERVICES_FROM" in
    maven) mvn_pg_use ;;
    apt) pg_find_bin && PG_FROM=system || { PG_FROM=apt; return 1; } ;;
    auto)
      if pg_find_bin; then PG_FROM=system
      elif [ -x "$MVN_PG_DIR/bin/pg_ctl" ] && mvn_pg_fits; then mvn_pg_use
      elif apt_usable; then PG_FROM=apt; return 1
      else log "postgres: not installed and apt-get cannot run here (not root, no passwordless sudo, or no apt-get): using Maven Central's binaries"
        mvn_pg_use
      fi ;;
  esac
}

mvn_redis_use() {
  mvn_redis_install
  PATH="$MVN_REDIS_BIN:$PATH"; REDIS_FROM=maven
}

# Sets REDIS_FROM (and PATH for the Maven binaries); returns 1 when apt-get has to install them.
redis_choose() {
  local have=0
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null && have=1
  case "$SERVICES_FROM" in
    maven) mvn_redis_use ;;
    apt) if [ $have = 1 ]; then REDIS_FROM=system; else REDIS_FROM=apt; return 1; fi ;;
    auto)
      if [ $have = 1 ]; then REDIS_FROM=system
      elif [ -x "$MVN_REDIS_BIN/redis-server" ]; then mvn_redis_use
      elif apt_usable; then REDIS_FROM=apt; return 1
      else log "redis: not installed and apt-get cannot run here: using Maven Central's binaries"
        mvn_redis_use
      fi ;;
  esac
}

# For down, status and prune-tests: whichever binaries are there can stop or query what runs (any redis-cli,
# a pg_ctl of the data folder's major); the Maven ones come after the system's on PATH.
use_installed_bins() {
  [ -x "$MVN_REDIS_BIN/redis-cli" ] && PATH="$PATH:$MVN_REDIS_BIN"
  if ! pg_find_bin && [ -x "$MVN_PG_DIR/bin/pg_ctl" ] && mvn_pg_fits; then PG_BIN="$MVN_PG_DIR/bin"; fi
  return 0
}

# ---------------------------------------------------------------- PostgreSQL without its clients

# Readiness without pg_isready: our postmaster says "ready" in its pid file (line 8) and the port accepts.
pg_ready_by_pidfile() {
  local pid; pid="$(pid_from "$PG_DATA/postmaster.pid")"
  pid_is "$pid" postgres && [ "$(sed -n 8p "$PG_DATA/postmaster.pid" 2>/dev/null | tr -d ' ')" = ready ] \
    && tcp_open "$PG_PORT"
}

# The role and database jobsched, without psql: the server in single-user mode (it must be stopped), one
# statement per line. CREATE DATABASE cannot run inside DO, so its existence is read from the output first.
pg_setup_single_user() { # owner
  local single=("$PG_BIN/postgres" --single -D "$PG_DATA" postgres) out
  out="$(as_user "$1" "${single[@]}" <<'SQL' 2>&1
DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jobsched') THEN CREATE ROLE jobsched SUPERUSER CREATEDB LOGIN; END IF; END $$;
SELECT 'jobsched-db-' || count(*) AS jobsched_db FROM pg_database WHERE datname = 'jobsched';
SQL
)" || { log "$out"; die "postgres: single-user setup failed"; }
  if grep -q 'ERROR:' <<<"$out"; then log "$out"; die "postgres: single-user setup failed"; fi
  if grep -q '"jobsched-db-0"' <<<"$out"; then
    out="$(as_user "$1" "${single[@]}" <<<"CREATE DATABASE jobsched OWNER jobsched" 2>&1)" \
      || { log "$out"; die "postgres: could not create database jobsched"; }
    if grep -q 'ERROR:' <<<"$out"; then log "$out"; die "postgres: could not create database jobsched"; fi
  elif ! grep -q '"jobsched-db-1"' <<<"$out"; then
    log "$out"; die "postgres: single-user setup printed no answer"
  fi
}
