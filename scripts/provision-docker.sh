#!/usr/bin/env bash
# Makes sure the local Docker engine (the default one, on /var/run/docker.sock) answers.
#
# For CI on a fresh Debian 12 machine (run as root) and for re-runs on a machine where an earlier
# session left stale state behind: installs Debian's docker.io when dockerd is missing, clears a
# pid file and socket no live daemon owns, starts dockerd with overlay2 and falls back to vfs when
# overlay2 does not come up (e.g. /var/lib/docker on overlayfs), and waits for it, bounded.
# A no-op when the engine already answers. Engines of other hosts (DOCKER_HOST) are not its business.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/apt.sh"

export PATH="$PATH:/usr/sbin:/sbin"
PIDFILE=/var/run/docker.pid
CONTAINERD_PIDFILE=/var/run/docker/containerd/containerd.pid
SOCKET=/var/run/docker.sock
LOG=/var/log/msm-dockerd.log
TIMEOUT=${MSM_DOCKERD_TIMEOUT:-60}

log() { echo "provision-docker: $*" >&2; }

# Bounded: a hung daemon still accepts connections on its socket, and the client waits forever.
engine_answers() {
  command -v docker >/dev/null 2>&1 &&
    timeout 5 docker -H "unix://$SOCKET" version --format '{{.Server.Version}}' >/dev/null 2>&1
}

# Alive and not a zombie: a killed daemon can linger as a zombie until something reaps it.
process_alive() {
  local state
  state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ -n $state && $state != Z && $state != X ]]
}

# The pid of the dockerd that wrote $PIDFILE, when that process is still a dockerd. A pid file can
# outlive its daemon and its pid be reused, so the process name is checked, not just its existence.
default_daemon_pid() {
  local pid
  pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ $(cat "/proc/$pid/comm" 2>/dev/null) == dockerd ]] || return 1
  process_alive "$pid" || return 1
  echo "$pid"
}

packages_missing() {
  local tool
  for tool in dockerd docker containerd runc iptables; do
    command -v "$tool" >/dev/null 2>&1 || return 0
  done
  return 1
}

install_packages() {
  log "installing docker.io containerd runc iptables"
  apt_install docker.io containerd runc iptables
}

stop_daemon() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 150; i++)); do
    process_alive "$pid" || return 0
    sleep 0.1
  done
  log "process $pid ignored SIGTERM for 15 s, killing it"
  kill -KILL "$pid" 2>/dev/null || true
  sleep 0.5
}

clean_stale_state() {
  # dockerd reuses the containerd named in its pid file when that pid exists, even as a zombie
  # left by a killed daemon, and then times out dialling it: only a live orphan is worth ending.
  local containerd_pid
  containerd_pid=$(cat "$CONTAINERD_PIDFILE" 2>/dev/null) || containerd_pid=
  if [[ $containerd_pid =~ ^[0-9]+$ ]] && ! default_daemon_pid >/dev/null; then
    if [[ $(cat "/proc/$containerd_pid/comm" 2>/dev/null) == containerd ]] && process_alive "$containerd_pid"; then
      log "stopping orphaned containerd $containerd_pid"
      stop_daemon "$containerd_pid"
    fi
    rm -f "$CONTAINERD_PIDFILE"
  fi
  if [[ -e $PIDFILE ]] && ! default_daemon_pid >/dev/null; then
    log "removing stale $PIDFILE"
    rm -f "$PIDFILE"
  fi
  # dockerd unlinks an old socket itself, but a leftover one makes clients report a hung daemon
  # instead of a missing one while we wait; nobody answers on it, so nobody owns it.
  if [[ -S $SOCKET ]] && ! default_daemon_pid >/dev/null; then
    log "removing stale $SOCKET"
    rm -f "$SOCKET"
  fi
}

# Waits until the engine answers; fails early when the daemon process is gone.
wait_for_engine() {
  local pid=$1 deadline=$((SECONDS + TIMEOUT))
  while ((SECONDS < deadline)); do
    engine_answers && return 0
    process_alive "$pid" || return 1
    sleep 0.5
  done
  return 1
}

start_daemon() {
  local driver=$1
  echo "=== $(date -u +%FT%TZ) provision-docker: dockerd --storage-driver=$driver" >>"$LOG"
  setsid nohup dockerd --storage-driver="$driver" </dev/null >>"$LOG" 2>&1 9>&- &
  echo $!
}

main() {
  engine_answers && exit 0

  # Two concurrent runs would each start a dockerd; the loser would then look like a failure.
  # The daemon must not inherit the lock (9>&- where it starts).
  exec 9>/var/lock/msm-provision-docker.lock
  flock -w $((2 * TIMEOUT + 60)) 9 || log "another run holds the lock; going on without it"
  engine_answers && exit 0

  if packages_missing; then
    install_packages
    engine_answers && exit 0 # the package's init script may have started one
  fi

  local pid
  if pid=$(default_daemon_pid); then
    log "dockerd $pid is running but not answering; waiting up to ${TIMEOUT}s"
    wait_for_engine "$pid" && exit 0
    log "dockerd $pid never answered; restarting it"
    stop_daemon "$pid"
  fi
  clean_stale_state

  local driver
  for driver in overlay2 vfs; do
    pid=$(start_daemon "$driver")
    if wait_for_engine "$pid"; then
      log "dockerd $pid is up (storage driver $driver, log $LOG)"
      exit 0
    fi
    if process_alive "$pid"; then
      log "dockerd did not answer within ${TIMEOUT}s with --storage-driver=$driver"
    else
      log "dockerd exited with --storage-driver=$driver: $(tail -n 1 "$LOG")"
    fi
    stop_daemon "$pid"
    clean_stale_state
  done

  log "giving up; last lines of $LOG:"
  tail -n 40 "$LOG" >&2
  exit 1
}

main "$@"
