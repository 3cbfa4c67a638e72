#!/usr/bin/env bash
# Start or stop a throw-away redis-server on a loopback port for tests and CI.
#   scripts/services/redis.sh start [DIR] [PORT]   -> prints the REDIS_URL
#   scripts/services/redis.sh stop  [DIR]          -> stops the server started with DIR (by its PID file)
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:-/tmp/jobboard-redis}
port=${3:-63799}
command -v redis-server >/dev/null || { echo "redis-server is not installed (apt-get install redis-server)" >&2; exit 1; }
case "$cmd" in
  start)
    mkdir -p "$dir"
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
      --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --dir "$dir"
    for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
    echo "redis://127.0.0.1:$port"
    ;;
  stop)
    [ -f "$dir/redis.pid" ] && kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
    ;;
  *) echo "usage: $0 start|stop [DIR] [PORT]" >&2; exit 2 ;;
esac
