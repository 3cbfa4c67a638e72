#!/usr/bin/env bash
# Start or stop a throw-away PostgreSQL on a loopback port for tests and CI.
#   scripts/services/postgres.sh start [DIR] [PORT]   -> prints the DATABASE_URL
#   scripts/services/postgres.sh stop  [DIR]
# Debian's postgres refuses to run as root, so the server runs as the postgres user. Only the
# server started here is stopped (pg_ctl stop on its own data folder, which holds its PID).
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:-/tmp/jobboard-pg}
port=${3:-54329}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "postgresql is not installed (apt-get install postgresql)" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }

case "$cmd" in
  start)
    if [ ! -f "$dir/PG_VERSION" ]; then
      mkdir -p "$dir"
      [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
      as_pg "'$bin/initdb' -D '$dir' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
    fi
    as_pg "'$bin/pg_ctl' -D '$dir' -l '$dir/server.log' -w -t 30 -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off\" start" >/dev/null
    psql -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='jobboard'" | grep -q 1 \
      || psql -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE jobboard" >/dev/null
    echo "postgres://postgres@127.0.0.1:$port/jobboard"
    ;;
  stop)
    [ -f "$dir/postmaster.pid" ] && as_pg "'$bin/pg_ctl' -D '$dir' -m fast -w stop" >/dev/null
    ;;
  *) echo "usage: $0 start|stop [DIR] [PORT]" >&2; exit 2 ;;
esac
