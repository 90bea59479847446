#!/bin/bash
# Provenance: copied from the team's ../shared/kube/stop.sh (2026-12-02); the binary's path now comes from the
# environment as in start.sh.
# Stop only the processes started by start.sh (by recorded PID). Env: KUBE_DIR, KUBE_APISERVER as for start.sh.
K=${KUBE_DIR:-${TMPDIR:-/tmp}/kube}
BIN=${KUBE_APISERVER:-${KUBE_CACHE:-${TMPDIR:-/tmp}/kube-cache}/bin/kube-apiserver}
RUN=$K/run
stop_one() { # name expected-binary
  local f=$RUN/$1.pid pid
  [ -f "$f" ] || { echo "$1: no pid file"; return 0; }
  pid=$(cat "$f")
  if ! kill -0 "$pid" 2>/dev/null; then echo "$1: pid $pid not running"; rm -f "$f"; return 0; fi
  if [ "$(readlink -f /proc/$pid/exe 2>/dev/null)" != "$(readlink -f $2)" ]; then
    echo "$1: pid $pid is not $2 - not killing it"; rm -f "$f"; return 0
  fi
  kill -TERM "$pid"
  for i in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; echo "$1: pid $pid killed (SIGKILL)"; else echo "$1: pid $pid stopped"; fi
  rm -f "$f"
}
stop_one kube-apiserver $BIN
stop_one etcd "$(command -v etcd)"
