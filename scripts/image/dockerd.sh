#!/usr/bin/env bash
# Start or stop a Docker engine for CI, on a machine that has the package (docker.io) but no engine
# running. `start` uses an engine that already answers and starts none; `stop` stops only the
# dockerd that `start` started, by the PID it recorded (its containers stop with it).
#   scripts/image/dockerd.sh start [STATE_DIR]
#   scripts/image/dockerd.sh stop  [STATE_DIR]
set -euo pipefail
cmd=${1:?start|stop}
state=${2:-/tmp/jobboard-dockerd}

case "$cmd" in
  start)
    if docker info > /dev/null 2>&1; then
      echo "a Docker engine already answers: using it (not started here, so not stopped here)" >&2
      exit 0
    fi
    command -v dockerd > /dev/null || { echo "dockerd is not installed (apt-get install docker.io)" >&2; exit 1; }
    mkdir -p "$state"
    dockerd --pidfile "$state/dockerd.pid" > "$state/dockerd.log" 2>&1 &
    echo $! > "$state/started.pid"
    for _ in $(seq 1 120); do
      if docker info > /dev/null 2>&1; then
        echo "dockerd $(docker info --format '{{.ServerVersion}}') started (pid $(cat "$state/started.pid"))" >&2
        exit 0
      fi
      sleep 0.5
    done
    echo "dockerd did not answer within 60 s:" >&2
    tail -n 20 "$state/dockerd.log" >&2
    exit 1
    ;;
  stop)
    [ -f "$state/started.pid" ] || exit 0
    pid=$(cat "$state/started.pid")
    if kill -0 "$pid" 2> /dev/null; then
      kill -TERM "$pid"
      for _ in $(seq 1 60); do kill -0 "$pid" 2> /dev/null || break; sleep 0.5; done
      kill -0 "$pid" 2> /dev/null && kill -KILL "$pid"
    fi
    rm -f "$state/started.pid"
    ;;
  *) echo "usage: $0 start|stop [STATE_DIR]" >&2; exit 2 ;;
esac
