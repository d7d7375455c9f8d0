#!/usr/bin/env bash
# Remote test hosts for the integration tests and benchmarks (design §7, "Remote hosts").
#
#   scripts/test-hosts.sh up               create/repair everything, write env.json, prove it works
#   scripts/test-hosts.sh down [--purge]   stop the daemons, remove namespaces, veths and the run dir
#                                          (--purge also removes keys, image data and logs)
#   scripts/test-hosts.sh status           print each host's state; exit 0 only when all is up
#   scripts/test-hosts.sh latency <delay|off>
#                                          add a delay (e.g. 20ms) to the traffic of h1..h3, or remove it
#                                          (tc netem on msmvN; where the kernel lacks netem, as on these
#                                          machines, a user-space NFQUEUE delay line inside each namespace)
#
# What `up` builds (all on this machine; traffic only to loopback and to these namespaces):
#   msm-h1..msm-h3  network namespaces, each joined to the root namespace by a veth pair
#                   (root side msmvN 10.213.N.1/24, namespace side msmnN 10.213.N.2/24), running
#                   their own dockerd and their own sshd on 10.213.N.2:22 (and :2222, for
#                   tests of [host]:port known_hosts entries). sshd sets
#                   DOCKER_HOST=unix:///run/msm-test-hosts/hN/docker.sock, so `docker` run over SSH
#                   reaches that host's engine. Each host also has its own UTS namespace with the
#                   hostname msm-hN, so `docker info --format '{{.Name}}'` and `hostname` tell the
#                   hosts apart.
#   msm-h4          a namespace with an address (10.213.4.2) and nothing listening: port 22 is refused.
#   registry        Debian's docker-registry in the root namespace, bound to 10.213.1.1:5000 (the
#                   root-side address of h1's veth) and nothing else. Every host namespace has a route
#                   to 10.213.0.0/16 via its own veth peer; a packet for 10.213.1.1 that arrives on
#                   msmv2 is addressed to the root namespace itself and is delivered locally, so no IP
#                   forwarding, bridge or iptables rule is needed (nothing here adds one; host to host
#                   traffic meets the root namespace's FORWARD chain, DROP under the main engine). The
#                   host engines run with --insecure-registry 10.213.0.0/16; the image is pushed from
#                   h1's engine (the main engine would refuse plain HTTP) and untagged again, so every
#                   host starts without 10.213.1.1:5000/msm/busybox:latest and must pull it.
#   route guard     `unreachable 10.213.0.0/16` in the root namespace: any other 10.213.x.y fails at
#                   once (EHOSTUNREACH) instead of following the default route off the machine.
#
# State: /var/lib/msm-test-hosts (keys, engine data, registry data, env.json) survives `down`;
# /run/msm-test-hosts (sockets, pid files, exec roots) does not. Logs: /var/log/msm-test-hosts-*.log.
# The main engine (/var/run/docker.sock) is only read from: images are `docker save`d out of it.
#
# Environment:
#   MSM_TEST_IMAGES       images to copy from the main engine into every host engine (space
#                         separated); default "msm-busybox:latest msm-test-mcp:latest", where a
#                         missing default image is skipped with a warning (an explicit one is an error)
#   MSM_REGISTRY_SOURCE   image pushed to the registry as msm/busybox:latest; default msm-busybox:latest
#   MSM_MAIN_DOCKER_HOST  the main engine; default unix:///var/run/docker.sock
#   MSM_TEST_HOSTS_TIMEOUT  seconds to wait for each daemon to answer; default 60
set -euo pipefail

export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
unset DOCKER_HOST DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$SCRIPT_DIR/lib/apt.sh"
LIB=/var/lib/msm-test-hosts
RUN=/run/msm-test-hosts
LOGDIR=/var/log
LOCK=/run/lock/msm-test-hosts.lock
HOSTS=(1 2 3)        # hosts with sshd and dockerd
REFUSED=4            # the namespace with nothing listening
NET=10.213
REGISTRY_ADDR=$NET.1.1
REGISTRY_PORT=5000
REGISTRY=$REGISTRY_ADDR:$REGISTRY_PORT
REGISTRY_REPO=msm/busybox
REGISTRY_IMAGE=$REGISTRY/$REGISTRY_REPO:latest
REGISTRY_SOURCE=${MSM_REGISTRY_SOURCE:-msm-busybox:latest}
MAIN_DOCKER=${MSM_MAIN_DOCKER_HOST:-unix:///var/run/docker.sock}
DEFAULT_IMAGES="msm-busybox:latest msm-test-mcp:latest"
TIMEOUT=${MSM_TEST_HOSTS_TIMEOUT:-60}
CLIENT_KEY=$LIB/client/id_ed25519
KNOWN_HOSTS=$LIB/known_hosts
ENV_JSON=$LIB/env.json

log() { echo "test-hosts: $*" >&2; }
die() { log "error: $*"; exit 1; }

ns_name() { echo "msm-h$1"; }
ns_path() { echo "/var/run/netns/msm-h$1"; }
root_if() { echo "msmv$1"; }
ns_if() { echo "msmn$1"; }
host_addr() { echo "$NET.$1.2"; }
gw_addr() { echo "$NET.$1.1"; }
docker_sock() { echo "$RUN/h$1/docker.sock"; }
docker_host() { echo "unix://$RUN/h$1/docker.sock"; }
dockerd_log() { echo "$LOGDIR/msm-test-hosts-h$1-dockerd.log"; }
sshd_log() { echo "$LOGDIR/msm-test-hosts-h$1-sshd.log"; }
sshd_config() { echo "$LIB/h$1/sshd_config"; }
registry_log() { echo "$LOGDIR/msm-test-hosts-registry.log"; }

# The docker CLI of host N's engine, bounded so a hung daemon cannot hang us.
hdocker() {
  local n=$1
  shift
  timeout 300 docker -H "$(docker_host "$n")" "$@"
}
mdocker() { timeout 300 docker -H "$MAIN_DOCKER" "$@"; }

require_root() {
  [[ $EUID -eq 0 ]] || die "must run as root (network namespaces, daemons)"
}

# ---------------------------------------------------------------------------------------------
# Processes

# Alive and not a zombie: a killed daemon can linger as a zombie until something reaps it.
process_alive() {
  local state
  state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ -n $state && $state != Z && $state != X ]]
}

cmdline_of() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null; }

# Prints the pid in $1 when it is a live process named $2 whose command line contains $3. A pid
# file can outlive its daemon and the pid be reused, so the name and the command line are checked.
owned_pid() {
  local file=$1 comm=$2 needle=$3 pid cmd
  pid=$(cat "$file" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ $(cat "/proc/$pid/comm" 2>/dev/null) == "$comm" ]] || return 1
  process_alive "$pid" || return 1
  cmd=$(cmdline_of "$pid") || return 1
  [[ $cmd == *"$needle"* ]] || return 1
  echo "$pid"
}

# Pids of live processes whose name matches the regex $1 and whose command line contains $2.
pids_matching() {
  local re=$1 needle=$2 dir pid comm cmd
  for dir in /proc/[0-9]*; do
    pid=${dir#/proc/}
    [[ $pid == "$$" || $pid == "$BASHPID" ]] && continue
    comm=$(cat "$dir/comm" 2>/dev/null) || continue
    [[ $comm =~ $re ]] || continue
    cmd=$(cmdline_of "$pid") || continue
    [[ $cmd == *"$needle"* ]] || continue
    process_alive "$pid" && echo "$pid"
  done
  return 0
}

# SIGTERM, wait up to $2 seconds (default 15), then SIGKILL.
stop_pid() {
  local pid=$1 wait=${2:-15} i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < wait * 10; i++)); do
    process_alive "$pid" || return 0
    sleep 0.1
  done
  log "process $pid ($(cat "/proc/$pid/comm" 2>/dev/null)) ignored SIGTERM for ${wait}s, killing it"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    process_alive "$pid" || return 0
    sleep 0.1
  done
}

# Starts "$@" detached (own session, output to $1's log), prints its pid. The lock's fd 9 is
# closed: a daemon holding it would block every later run.
spawn() {
  local logfile=$1
  shift
  setsid nohup "$@" </dev/null >>"$logfile" 2>&1 9>&- &
  echo $!
}

# Sets IN_NS to the command prefix that runs a program inside host N's network namespace and a
# fresh UTS namespace named msm-hN. nsenter --net, not `ip netns exec`: the latter remounts /sys,
# which hides the cgroup mounts dockerd needs. The exec chain (nsenter → unshare → sh → program)
# keeps one pid throughout.
in_host_ns() {
  IN_NS=(nsenter --net="$(ns_path "$1")" -- unshare --uts --
    sh -c 'printf %s "$0" >/proc/sys/kernel/hostname && exec "$@"' "$(ns_name "$1")")
}

print_log_tail() {
  local file=$1
  log "last lines of $file:"
  tail -n 40 "$file" >&2 2>/dev/null || true
}

# ---------------------------------------------------------------------------------------------
# Packages

ensure_packages() {
  local -a missing=()
  local tool pkg pair
  for pair in dockerd:docker.io docker:docker.io containerd:containerd runc:runc iptables:iptables \
    /usr/sbin/sshd:openssh-server ssh:openssh-client ssh-keygen:openssh-client \
    docker-registry:docker-registry ip:iproute2 tc:iproute2 nsenter:util-linux \
    unshare:util-linux flock:util-linux setsid:util-linux timeout:coreutils; do
    tool=${pair%%:*}
    pkg=${pair#*:}
    if ! command -v "$tool" >/dev/null 2>&1; then
      [[ " ${missing[*]} " == *" $pkg "* ]] || missing+=("$pkg")
    fi
  done
  ((${#missing[@]} == 0)) && return 0
  log "installing ${missing[*]}"
  # Package scripts would start the system sshd (0.0.0.0:22) and the registry service (:5000)
  # in the root namespace: a policy-rc.d that refuses keeps them stopped.
  local made_policy=0 rc=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
  apt_install "${missing[@]}" 9>&- || rc=$?
  ((made_policy)) && rm -f /usr/sbin/policy-rc.d
  ((rc == 0)) || die "apt-get install ${missing[*]} failed ($rc)"
}

main_engine_answers() {
  timeout 10 docker -H "$MAIN_DOCKER" version --format '{{.Server.Version}}' >/dev/null 2>&1
}

ensure_main_engine() {
  main_engine_answers && return 0
  if [[ $MAIN_DOCKER == unix:///var/run/docker.sock && -f $SCRIPT_DIR/provision-docker.sh ]]; then
    log "main engine not answering; running provision-docker.sh"
    bash "$SCRIPT_DIR/provision-docker.sh" 9>&- # the engine it starts must not hold our lock
  fi
  main_engine_answers || die "the main engine ($MAIN_DOCKER) does not answer"
}

# ---------------------------------------------------------------------------------------------
# Network

# True when /var/run/netns/msm-hN is a live namespace (not a leftover plain file).
ns_valid() {
  local path
  path=$(ns_path "$1")
  [[ -e $path ]] && nsenter --net="$path" -- true 2>/dev/null
}

ifindex() { cat "/sys/class/net/$1/ifindex" 2>/dev/null; }

# True when process $1 lives in host $2's current network namespace (a daemon started before the
# namespace was deleted and made anew still answers on its unix socket, but from the old one).
pid_in_ns() {
  local a b
  a=$(stat -L -c %i "/proc/$1/ns/net" 2>/dev/null) || return 1
  b=$(stat -L -c %i "$(ns_path "$2")" 2>/dev/null) || return 1
  [[ $a == "$b" ]]
}

# True when msmvN exists in the root namespace and its peer is msmnN inside msm-hN.
veth_valid() {
  local n=$1 idx line
  idx=$(ifindex "$(root_if "$n")") || return 1
  line=$(ip -n "$(ns_name "$n")" -o link show "$(ns_if "$n")" 2>/dev/null) || return 1
  [[ $line == *"$(ns_if "$n")@if$idx:"* ]]
}

ensure_network() {
  local n=$1 ns rif nif
  ns=$(ns_name "$n")
  rif=$(root_if "$n")
  nif=$(ns_if "$n")
  if ! ns_valid "$n"; then
    if [[ -e $(ns_path "$n") ]]; then
      log "$ns: removing a stale namespace file"
      ip netns delete "$ns" 2>/dev/null || rm -f "$(ns_path "$n")"
    fi
    ip netns add "$ns"
  fi
  if ! veth_valid "$n"; then
    ip link delete "$rif" 2>/dev/null || true
    ip -n "$ns" link delete "$nif" 2>/dev/null || true
    ip link add "$rif" type veth peer name "$nif" netns "$ns"
  fi
  ip addr replace "$(gw_addr "$n")/24" dev "$rif"
  ip link set "$rif" up
  ip -n "$ns" link set lo up
  ip -n "$ns" addr replace "$(host_addr "$n")/24" dev "$nif"
  ip -n "$ns" link set "$nif" up
  # Reaches the registry (10.213.1.1) and the other root-side addresses, which the root namespace
  # delivers locally; nothing here sets up forwarding between the veths.
  ip -n "$ns" route replace "$NET.0.0/16" via "$(gw_addr "$n")" dev "$nif"
}

# Any other 10.213.x.y is unreachable from the root namespace (an immediate EHOSTUNREACH): without
# this route such a packet, or one a namespace sends there through the root namespace, would follow
# the default route off the machine.
ensure_route_guard() {
  ip route replace unreachable "$NET.0.0/16"
}

# ---------------------------------------------------------------------------------------------
# Keys and configuration

ensure_client_key() {
  mkdir -p "$LIB/client"
  chmod 700 "$LIB/client"
  if [[ ! -s $CLIENT_KEY ]]; then
    rm -f "$CLIENT_KEY" "$CLIENT_KEY.pub"
    ssh-keygen -q -t ed25519 -N '' -C msm-test-client -f "$CLIENT_KEY"
  fi
  [[ -s $CLIENT_KEY.pub ]] || ssh-keygen -y -f "$CLIENT_KEY" >"$CLIENT_KEY.pub"
  chmod 600 "$CLIENT_KEY"
}

# Writes $2 to file $1 only when it differs; returns 0 when the file changed.
write_if_changed() {
  local file=$1 content=$2
  if [[ -f $file ]] && [[ $(cat "$file") == "$content" ]]; then
    return 1
  fi
  printf '%s\n' "$content" >"$file.tmp"
  mv -f "$file.tmp" "$file"
  return 0
}

ensure_host_files() {
  local n=$1 dir=$LIB/h$1 key
  mkdir -p "$dir/docker" "$RUN/h$n/exec"
  chmod 755 "$LIB" "$dir"
  key=$dir/ssh_host_ed25519_key
  if [[ ! -s $key ]]; then
    rm -f "$key" "$key.pub"
    ssh-keygen -q -t ed25519 -N '' -C "msm-h$n" -f "$key"
  fi
  [[ -s $key.pub ]] || ssh-keygen -y -f "$key" >"$key.pub"
  chmod 600 "$key"
  write_if_changed "$dir/authorized_keys" "$(cat "$CLIENT_KEY.pub")" || true
  chmod 644 "$dir/authorized_keys"
  write_if_changed "$(sshd_config "$n")" "# Written by scripts/test-hosts.sh for test host h$n; rewritten by every 'up'.
ListenAddress $(host_addr "$n"):22
ListenAddress $(host_addr "$n"):2222
AddressFamily inet
HostKey $key
PidFile $RUN/h$n/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes yes
AllowTcpForwarding yes
AllowStreamLocalForwarding yes
X11Forwarding no
PrintMotd no
PrintLastLog no
UseDNS no
MaxStartups 100:30:200
MaxSessions 100
LogLevel INFO
SetEnv DOCKER_HOST=$(docker_host "$n")
Subsystem sftp internal-sftp" || true
  # Own ID key: the default /etc/docker/key.json would give all engines the main engine's ID.
  write_if_changed "$dir/daemon.json" "{ \"deprecated-key-path\": \"$dir/key.json\" }" || true
}

host_key_line() { awk '{ print $1 " " $2 }' "$LIB/h$1/ssh_host_ed25519_key.pub"; }
host_fingerprint() { ssh-keygen -l -E sha256 -f "$LIB/h$1/ssh_host_ed25519_key.pub" | awk '{ print $2 }'; }

write_known_hosts() {
  local n content=""
  for n in "${HOSTS[@]}"; do
    content+="$(host_addr "$n") $(host_key_line "$n")"$'\n'
  done
  write_if_changed "$KNOWN_HOSTS" "${content%$'\n'}" || true
}

# ---------------------------------------------------------------------------------------------
# dockerd

engine_answers() {
  timeout 5 docker -H "$(docker_host "$1")" version --format '{{.Server.Version}}' >/dev/null 2>&1
}

dockerd_pid() { owned_pid "$RUN/h$1/docker.pid" dockerd "$RUN/h$1/docker.sock"; }

storage_driver() {
  local d
  d=$(cat "$LIB/h$1/storage-driver" 2>/dev/null) || d=overlay2
  [[ $d == overlay2 || $d == vfs ]] || d=overlay2
  echo "$d"
}

# The account the tests log in as: not root, and with /bin/sh as its shell, so that a session
# costs what it costs on a server (root's ~/.bashrc on these machines runs pyenv init, ~120 ms per
# SSH exec). It reaches the engines through the docker group, like a deploy user would.
TEST_USER=msm
ensure_test_user() {
  getent group docker >/dev/null || groupadd --system docker
  if ! id "$TEST_USER" >/dev/null 2>&1; then
    log "creating user $TEST_USER (shell /bin/sh, group docker)"
    useradd --system --shell /bin/sh --home-dir "$LIB/home-$TEST_USER" --create-home --gid docker "$TEST_USER"
  fi
  # useradd leaves the account locked ("!"), which sshd refuses without PAM; "*" only means no
  # password works, so keys still do.
  [[ $(getent shadow "$TEST_USER" | cut -d: -f2) == '*' ]] || usermod -p '*' "$TEST_USER"
  mkdir -p "$LIB/home-$TEST_USER"
  chown "$TEST_USER:docker" "$LIB/home-$TEST_USER"
}

# The full dockerd command line for host N with storage driver $2.
dockerd_args() {
  local n=$1 driver=$2
  DOCKERD_ARGS=(dockerd
    --config-file "$LIB/h$n/daemon.json"
    --data-root "$LIB/h$n/docker"
    --exec-root "$RUN/h$n/exec"
    --pidfile "$RUN/h$n/docker.pid"
    -H "unix://$RUN/h$n/docker.sock"
    --storage-driver "$driver"
    --insecure-registry "$NET.0.0/16"
    --cgroup-parent "/msm-h$n"
    --group docker
    --shutdown-timeout 5)
}

# Removes what a dead dockerd of host N left behind. Its containerd is started with the exec root's
# containerd.pid; dockerd reuses whatever pid that names (even a zombie or a stranger), so an orphan
# containerd of ours is stopped and the file removed. Container shims are left to the next
# containerd, which re-attaches to them.
clean_dockerd_state() {
  local n=$1 pid exec
  exec=$RUN/h$n/exec
  for pid in $(pids_matching '^containerd$' "$exec/containerd/"); do
    log "h$n: stopping orphaned containerd $pid"
    stop_pid "$pid"
  done
  for pid in $(pids_matching '^dockerd$' "$RUN/h$n/docker.sock"); do
    log "h$n: stopping dockerd $pid, which lost its pid file"
    stop_pid "$pid" 30
  done
  rm -f "$exec/containerd/containerd.pid" "$RUN/h$n/docker.pid" "$RUN/h$n/docker.sock"
}

start_dockerd() {
  local n=$1 driver=$2
  mkdir -p "$LIB/h$n/docker" "$RUN/h$n/exec"
  dockerd_args "$n" "$driver"
  echo "=== $(date -u +%FT%TZ) test-hosts: starting dockerd for h$n (storage driver $driver)" >>"$(dockerd_log "$n")"
  in_host_ns "$n"
  spawn "$(dockerd_log "$n")" "${IN_NS[@]}" "${DOCKERD_ARGS[@]}"
}

# Waits for host N's engine to answer; fails early when process $2 is gone.
wait_engine() {
  local n=$1 pid=$2 deadline=$((SECONDS + TIMEOUT))
  while ((SECONDS < deadline)); do
    engine_answers "$n" && return 0
    process_alive "$pid" || return 1
    sleep 0.2
  done
  return 1
}

# Phase one (all hosts at once): keep a running, answering engine started with the wanted command
# line; otherwise clean up and start one. Sets STARTED[n] to the pid of a daemon to wait for.
declare -A STARTED=()
dockerd_begin() {
  local n=$1 pid driver want have
  driver=$(storage_driver "$n")
  if pid=$(dockerd_pid "$n"); then
    dockerd_args "$n" "$driver"
    want="${DOCKERD_ARGS[*]}"
    have=$(cmdline_of "$pid")
    have=${have% }
    if [[ $have != "$want" ]]; then
      log "h$n: dockerd $pid runs with other options; restarting it"
      stop_pid "$pid" 30
    elif ! pid_in_ns "$pid" "$n"; then
      log "h$n: dockerd $pid runs in an old network namespace; restarting it"
      stop_pid "$pid" 30
    elif engine_answers "$n"; then
      return 0
    else
      STARTED[$n]=$pid # alive but not answering (yet): wait for it in phase two
      return 0
    fi
  fi
  clean_dockerd_state "$n"
  STARTED[$n]=$(start_dockerd "$n" "$driver")
}

# Phase two: wait. A daemon that exited is tried once more with the other storage driver
# (overlay2 fails where the data root itself sits on overlayfs); one that hung, once more with the
# same driver. The driver that worked is remembered.
dockerd_finish() {
  local n=$1 pid=${STARTED[$1]:-} driver
  [[ -n $pid ]] || return 0
  driver=$(storage_driver "$n")
  if wait_engine "$n" "$pid"; then
    echo "$driver" >"$LIB/h$n/storage-driver"
    log "h$n: dockerd $pid is up (storage driver $driver)"
    return 0
  fi
  print_log_tail "$(dockerd_log "$n")"
  if process_alive "$pid"; then
    log "h$n: dockerd $pid did not answer within ${TIMEOUT}s; restarting it"
    stop_pid "$pid" 30
  else
    log "h$n: dockerd exited with --storage-driver $driver; trying the other driver"
    if [[ $driver == overlay2 ]]; then driver=vfs; else driver=overlay2; fi
  fi
  clean_dockerd_state "$n"
  pid=$(start_dockerd "$n" "$driver")
  if wait_engine "$n" "$pid"; then
    echo "$driver" >"$LIB/h$n/storage-driver"
    log "h$n: dockerd $pid is up (storage driver $driver)"
    return 0
  fi
  print_log_tail "$(dockerd_log "$n")"
  die "h$n: dockerd did not answer on $(docker_sock "$n") within ${TIMEOUT}s (last try: storage driver $driver)"
}

# ---------------------------------------------------------------------------------------------
# sshd

sshd_pid() { owned_pid "$RUN/h$1/sshd.pid" sshd "$(sshd_config "$1")"; }

# True when something on 10.213.N.2:22 greets like an SSH server.
ssh_banner() {
  local banner
  banner=$(timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/22" && head -c 4 <&3' "$(host_addr "$1")" 2>/dev/null) || return 1
  [[ $banner == SSH- ]]
}

config_hash() { sha256sum "$(sshd_config "$1")" | awk '{ print $1 }'; }

ensure_sshd() {
  local n=$1 pid deadline
  mkdir -p /run/sshd
  chmod 755 /run/sshd
  if pid=$(sshd_pid "$n"); then
    if [[ $(cat "$RUN/h$n/sshd.config-hash" 2>/dev/null) != "$(config_hash "$n")" ]]; then
      log "h$n: sshd configuration changed; restarting sshd $pid"
      stop_pid "$pid"
    elif ! pid_in_ns "$pid" "$n"; then
      log "h$n: sshd $pid runs in an old network namespace; restarting it"
      stop_pid "$pid"
    elif ssh_banner "$n"; then
      return 0
    else
      log "h$n: sshd $pid does not answer; restarting it"
      stop_pid "$pid"
    fi
  fi
  for pid in $(pids_matching '^sshd$' "$(sshd_config "$n")"); do
    log "h$n: stopping an sshd listener that lost its pid file ($pid)"
    stop_pid "$pid"
  done
  rm -f "$RUN/h$n/sshd.pid"
  if ! /usr/sbin/sshd -t -f "$(sshd_config "$n")" 2>>"$(sshd_log "$n")"; then
    print_log_tail "$(sshd_log "$n")"
    die "h$n: sshd rejects $(sshd_config "$n")"
  fi
  echo "=== $(date -u +%FT%TZ) test-hosts: starting sshd for h$n" >>"$(sshd_log "$n")"
  in_host_ns "$n"
  pid=$(spawn "$(sshd_log "$n")" "${IN_NS[@]}" /usr/sbin/sshd -D -f "$(sshd_config "$n")" -E "$(sshd_log "$n")")
  config_hash "$n" >"$RUN/h$n/sshd.config-hash"
  deadline=$((SECONDS + TIMEOUT))
  while ((SECONDS < deadline)); do
    if ssh_banner "$n"; then
      log "h$n: sshd $pid is up on $(host_addr "$n"):22"
      return 0
    fi
    process_alive "$pid" || break
    sleep 0.1
  done
  print_log_tail "$(sshd_log "$n")"
  die "h$n: sshd did not answer on $(host_addr "$n"):22"
}

# ---------------------------------------------------------------------------------------------
# Registry

registry_config() { echo "$LIB/registry/config.yml"; }
registry_pid() { owned_pid "$RUN/registry.pid" docker-registry "$(registry_config)"; }

# Sends an HTTP/1.0 request to the registry and prints the status line.
registry_request() {
  local method=$1 path=$2
  timeout 5 bash -c '
    exec 3<>"/dev/tcp/$0/$1" || exit 1
    printf "%s %s HTTP/1.0\r\nHost: %s:%s\r\nAccept: application/vnd.docker.distribution.manifest.v2+json\r\n\r\n" "$2" "$3" "$0" "$1" >&3
    head -n 1 <&3' "$REGISTRY_ADDR" "$REGISTRY_PORT" "$method" "$path" 2>/dev/null | tr -d '\r'
}

registry_answers() { [[ $(registry_request GET /v2/) == *" 200"* ]]; }
registry_has_image() { [[ $(registry_request HEAD "/v2/$REGISTRY_REPO/manifests/latest") == *" 200"* ]]; }

ensure_registry() {
  local pid deadline
  mkdir -p "$LIB/registry/data"
  write_if_changed "$(registry_config)" "# Written by scripts/test-hosts.sh: the test hosts' image registry.
version: 0.1
log:
  level: info
  fields:
    service: msm-test-registry
storage:
  filesystem:
    rootdirectory: $LIB/registry/data
  delete:
    enabled: true
http:
  addr: $REGISTRY
  headers:
    X-Content-Type-Options: [nosniff]" || true
  if pid=$(registry_pid); then
    if [[ $(cat "$RUN/registry.config-hash" 2>/dev/null) == "$(sha256sum "$(registry_config)" | awk '{ print $1 }')" ]] &&
      registry_answers; then
      return 0
    fi
    log "registry $pid does not answer or has a new configuration; restarting it"
    stop_pid "$pid"
  fi
  for pid in $(pids_matching '^docker-registry$' "$(registry_config)"); do
    stop_pid "$pid"
  done
  echo "=== $(date -u +%FT%TZ) test-hosts: starting docker-registry on $REGISTRY" >>"$(registry_log)"
  pid=$(spawn "$(registry_log)" docker-registry serve "$(registry_config)")
  echo "$pid" >"$RUN/registry.pid"
  sha256sum "$(registry_config)" | awk '{ print $1 }' >"$RUN/registry.config-hash"
  deadline=$((SECONDS + TIMEOUT))
  while ((SECONDS < deadline)); do
    if registry_answers; then
      log "registry $pid is up on $REGISTRY"
      return 0
    fi
    process_alive "$pid" || break
    sleep 0.1
  done
  print_log_tail "$(registry_log)"
  die "the registry did not answer on $REGISTRY"
}

# Pushes $REGISTRY_SOURCE as $REGISTRY_IMAGE from h1's engine (it has --insecure-registry; the
# main engine does not), then proves h2 can pull it. Skipped when the registry already holds the
# image built from the same source image id. The reference is untagged again on h1 and h2, so a
# pull test starts with the reference absent.
ensure_registry_image() {
  local id marker=$LIB/registry/pushed-image-id
  id=$(mdocker image inspect --format '{{.Id}}' "$REGISTRY_SOURCE")
  if [[ $(cat "$marker" 2>/dev/null) == "$id" ]] && registry_has_image; then
    return 0
  fi
  log "pushing $REGISTRY_SOURCE to $REGISTRY_IMAGE (from h1's engine)"
  hdocker 1 tag "$REGISTRY_SOURCE" "$REGISTRY_IMAGE"
  hdocker 1 push --quiet "$REGISTRY_IMAGE" >/dev/null
  hdocker 1 image rm "$REGISTRY_IMAGE" >/dev/null
  hdocker 2 pull --quiet "$REGISTRY_IMAGE" >/dev/null || die "h2 cannot pull $REGISTRY_IMAGE"
  [[ $(hdocker 2 image inspect --format '{{.Id}}' "$REGISTRY_IMAGE") == "$id" ]] ||
    die "h2 pulled $REGISTRY_IMAGE but its id differs from $REGISTRY_SOURCE's"
  hdocker 2 image rm "$REGISTRY_IMAGE" >/dev/null
  echo "$id" >"$marker"
}

# ---------------------------------------------------------------------------------------------
# Images

# Sets IMAGES to the images to copy into the host engines (present in the main engine).
resolve_images() {
  local img explicit=0 list
  if [[ -n ${MSM_TEST_IMAGES:-} ]]; then
    explicit=1
    list=$MSM_TEST_IMAGES
  else
    list=$DEFAULT_IMAGES
  fi
  IMAGES=()
  for img in $list $REGISTRY_SOURCE; do
    [[ " ${IMAGES[*]} " == *" $img "* ]] && continue
    if mdocker image inspect "$img" >/dev/null 2>&1; then
      IMAGES+=("$img")
    elif ((explicit)) || [[ $img == "$REGISTRY_SOURCE" ]]; then
      die "image $img is not in the main engine (build it: scripts/build-test-images.sh)"
    else
      log "warning: $img is not in the main engine; not copied to the hosts"
    fi
  done
}

# Copies each image whose id differs into each host engine: one `docker save` of what is needed,
# loaded into the engines that lack something.
ensure_images() {
  local n img want have tar
  local -a needed=() targets=()
  declare -A main_id=()
  for img in "${IMAGES[@]}"; do
    main_id[$img]=$(mdocker image inspect --format '{{.Id}}' "$img")
  done
  for n in "${HOSTS[@]}"; do
    local lacks=0
    for img in "${IMAGES[@]}"; do
      have=$(hdocker "$n" image inspect --format '{{.Id}}' "$img" 2>/dev/null) || have=
      if [[ $have != "${main_id[$img]}" ]]; then
        lacks=1
        [[ " ${needed[*]} " == *" $img "* ]] || needed+=("$img")
      fi
    done
    ((lacks)) && targets+=("$n")
  done
  ((${#targets[@]} == 0)) && return 0
  tar=$(mktemp "$LIB/images.XXXXXX.tar")
  log "copying ${needed[*]} into h${targets[*]}"
  if ! mdocker save -o "$tar" "${needed[@]}"; then
    rm -f "$tar"
    die "docker save ${needed[*]} from the main engine failed"
  fi
  for n in "${targets[@]}"; do
    if ! hdocker "$n" load -q -i "$tar" >/dev/null; then
      rm -f "$tar"
      die "h$n: docker load failed"
    fi
  done
  rm -f "$tar"
  for n in "${targets[@]}"; do
    for img in "${needed[@]}"; do
      want=${main_id[$img]}
      have=$(hdocker "$n" image inspect --format '{{.Id}}' "$img" 2>/dev/null) || have=
      [[ $have == "$want" ]] || die "h$n: $img has id '$have' after loading, expected $want"
    done
  done
}

# ---------------------------------------------------------------------------------------------
# env.json, proof, summary

write_env_json() {
  local n sep="" hosts="" imgs="" img
  for n in "${HOSTS[@]}"; do
    hosts+="$sep    {\"name\": \"h$n\", \"address\": \"$(host_addr "$n")\", \"port\": 22, \"user\": \"$TEST_USER\", \"dockerHost\": \"$(docker_host "$n")\", \"hostKey\": \"$(host_key_line "$n")\", \"fingerprint\": \"$(host_fingerprint "$n")\"}"
    sep=$',\n'
  done
  sep=""
  for img in "${IMAGES[@]}"; do
    imgs+="$sep\"$img\""
    sep=", "
  done
  write_if_changed "$ENV_JSON" "{
  \"clientKey\": \"$CLIENT_KEY\",
  \"knownHosts\": \"$KNOWN_HOSTS\",
  \"hosts\": [
$hosts
  ],
  \"refused\": {\"name\": \"h$REFUSED\", \"address\": \"$(host_addr "$REFUSED")\", \"port\": 22},
  \"registry\": \"$REGISTRY\",
  \"registryImage\": \"$REGISTRY_IMAGE\",
  \"images\": [$imgs]
}" || true
}

ssh_opts() {
  SSH_OPTS=(-F /dev/null -i "$CLIENT_KEY" -o IdentitiesOnly=yes -o BatchMode=yes
    -o ConnectTimeout=5 -o StrictHostKeyChecking=yes -o GlobalKnownHostsFile=/dev/null
    -o UserKnownHostsFile="$1" -o LogLevel=ERROR)
}

# Over real SSH, with host key checking against a known_hosts file holding only that host's key:
# each host answers with its own engine (name msm-hN, its own data root).
prove_host() {
  local n=$1 kh out want
  kh=$(mktemp)
  echo "$(host_addr "$n") $(host_key_line "$n")" >"$kh"
  ssh_opts "$kh"
  out=$(timeout 20 ssh "${SSH_OPTS[@]}" "$TEST_USER@$(host_addr "$n")" \
    "docker version --format '{{.Server.Version}}' && docker info --format '{{.Name}} {{.DockerRootDir}}'" 2>&1) || {
    rm -f "$kh"
    log "h$n: ssh $TEST_USER@$(host_addr "$n") docker version failed: $out"
    return 1
  }
  rm -f "$kh"
  want="msm-h$n $LIB/h$n/docker"
  if [[ $(tail -n 1 <<<"$out") != "$want" ]]; then
    log "h$n: over SSH docker reached '$(tail -n 1 <<<"$out")', expected '$want'"
    return 1
  fi
  echo "h$n: docker $(head -n 1 <<<"$out") over ssh $TEST_USER@$(host_addr "$n")"
}

# Port 22 of the refused host must answer with a reset at once, not time out.
prove_refused() {
  local out start=$SECONDS
  if out=$(timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/22"' "$(host_addr "$REFUSED")" 2>&1); then
    log "h$REFUSED: port 22 accepted a connection"
    return 1
  fi
  if [[ $out != *"onnection refused"* ]] || ((SECONDS - start > 2)); then
    log "h$REFUSED: port 22 was not refused promptly: $out"
    return 1
  fi
  echo "h$REFUSED: $(host_addr "$REFUSED"):22 connection refused"
}

prove() {
  local n failed=0 outdir
  outdir=$(mktemp -d)
  local -A pids=()
  for n in "${HOSTS[@]}"; do
    prove_host "$n" >"$outdir/h$n" 2>&1 &
    pids[$n]=$!
  done
  for n in "${HOSTS[@]}"; do
    wait "${pids[$n]}" || failed=1
    cat "$outdir/h$n"
  done
  rm -rf "$outdir"
  prove_refused || failed=1
  ((failed == 0)) || die "the test hosts do not work as expected (see above)"
}

# ---------------------------------------------------------------------------------------------
# Commands

take_lock() {
  mkdir -p "$(dirname "$LOCK")"
  exec 9>"$LOCK"
  flock -w 600 9 || die "another test-hosts.sh holds $LOCK"
}

cmd_up() {
  local n start=$SECONDS
  require_root
  take_lock
  ensure_packages
  ensure_main_engine
  mkdir -p "$LIB" "$RUN"
  chmod 755 "$LIB" "$RUN"
  ensure_client_key
  ensure_test_user
  for n in "${HOSTS[@]}" "$REFUSED"; do
    ensure_network "$n"
  done
  ensure_route_guard
  for n in "${HOSTS[@]}"; do
    ensure_host_files "$n"
    clean_stale_delay "$n"
  done
  write_known_hosts
  for n in "${HOSTS[@]}"; do
    dockerd_begin "$n"
  done
  for n in "${HOSTS[@]}"; do
    dockerd_finish "$n"
  done
  for n in "${HOSTS[@]}"; do
    ensure_sshd "$n"
  done
  ensure_registry
  resolve_images
  ensure_images
  ensure_registry_image
  write_env_json
  prove
  echo "registry: $REGISTRY (image $REGISTRY_IMAGE)"
  echo "images in every host engine: ${IMAGES[*]}"
  echo "client key: $CLIENT_KEY; known hosts: $KNOWN_HOSTS"
  echo "env: $ENV_JSON"
  echo "test hosts up in $((SECONDS - start))s"
}

# Unmounts everything below $1 (container rootfs, shm and netns mounts a killed engine left).
unmount_below() {
  local prefix=$1 mp
  awk -v p="$prefix/" 'index($5, p) == 1 { print $5 }' /proc/self/mountinfo | sort -r |
    while read -r mp; do
      umount "$mp" 2>/dev/null || umount -l "$mp" 2>/dev/null || log "could not unmount $mp"
    done
}

# Kills the processes of the namespace engines' containers, found by their cgroup parent.
kill_container_cgroups() {
  local n=$1 dir pid
  for dir in /sys/fs/cgroup/*/"msm-h$n" /sys/fs/cgroup/"msm-h$n"; do
    [[ -d $dir ]] || continue
    while read -r pid; do
      if [[ -n $pid ]]; then kill -KILL "$pid" 2>/dev/null || true; fi
    done < <(find "$dir" -name cgroup.procs -exec cat {} + 2>/dev/null)
  done
  sleep 0.2
  for dir in /sys/fs/cgroup/*/"msm-h$n" /sys/fs/cgroup/"msm-h$n"; do
    [[ -d $dir ]] || continue
    find "$dir" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
}

cmd_down() {
  local purge=0 n pid
  case ${1:-} in
    --purge) purge=1 ;;
    "") ;;
    *) die "usage: $0 down [--purge]" ;;
  esac
  require_root
  take_lock
  for n in "${HOSTS[@]}"; do
    stop_delay "$n"
    if pid=$(sshd_pid "$n"); then stop_pid "$pid"; fi
    for pid in $(pids_matching '^sshd$' "$(sshd_config "$n")"); do stop_pid "$pid"; done
  done
  # Engines in parallel. Once they are shutting down (no more restarts) their containers are
  # killed outright: a graceful stop would wait --shutdown-timeout for each container that
  # ignores SIGTERM, and nothing in them is worth keeping.
  local -a stopping=()
  for n in "${HOSTS[@]}"; do
    if pid=$(dockerd_pid "$n"); then
      kill -TERM "$pid" 2>/dev/null || true
      stopping+=("$pid")
    fi
  done
  sleep 0.5
  for n in "${HOSTS[@]}"; do kill_container_cgroups "$n"; done
  for pid in "${stopping[@]}"; do stop_pid "$pid" 30; done
  for n in "${HOSTS[@]}"; do
    for pid in $(pids_matching '^(dockerd|containerd|containerd-shim.*|docker-proxy)$' "$RUN/h$n/"); do
      stop_pid "$pid" 5
    done
    kill_container_cgroups "$n"
  done
  if pid=$(registry_pid); then stop_pid "$pid"; fi
  for pid in $(pids_matching '^docker-registry$' "$(registry_config)"); do stop_pid "$pid"; done
  for n in "${HOSTS[@]}" "$REFUSED"; do
    if ns_valid "$n"; then
      for pid in $(ip netns pids "$(ns_name "$n")" 2>/dev/null); do stop_pid "$pid" 5; done
    fi
    ip netns delete "$(ns_name "$n")" 2>/dev/null || rm -f "$(ns_path "$n")"
    ip link delete "$(root_if "$n")" 2>/dev/null || true
  done
  ip route delete unreachable "$NET.0.0/16" 2>/dev/null || true
  unmount_below "$RUN"
  rm -rf --one-file-system "$RUN"
  if ((purge)); then
    unmount_below "$LIB"
    rm -rf --one-file-system "$LIB"
    rm -f "$LOGDIR"/msm-test-hosts-*.log
    log "down; removed $LIB and the logs"
  else
    unmount_below "$LIB"
    log "down; kept $LIB (keys, engine data, registry)"
  fi
}

cmd_status() {
  local n ok=1 pid line img have want state
  resolve_status_images
  for n in "${HOSTS[@]}"; do
    line="h$n $(host_addr "$n"):"
    if ns_valid "$n" && veth_valid "$n"; then line+=" net ok"; else line+=" net DOWN"; ok=0; fi
    if pid=$(sshd_pid "$n") && pid_in_ns "$pid" "$n" && ssh_banner "$n"; then line+=", sshd ok ($pid)"; else line+=", sshd DOWN"; ok=0; fi
    if pid=$(dockerd_pid "$n") && pid_in_ns "$pid" "$n" && engine_answers "$n"; then
      line+=", dockerd ok ($pid, $(storage_driver "$n"))"
      state=""
      for img in "${STATUS_IMAGES[@]}"; do
        have=$(timeout 10 docker -H "$(docker_host "$n")" image inspect --format '{{.Id}}' "$img" 2>/dev/null) || have=
        want=$(timeout 10 docker -H "$MAIN_DOCKER" image inspect --format '{{.Id}}' "$img" 2>/dev/null) || want=$have
        if [[ -n $have && $have == "$want" ]]; then state+=" $img"; else state+=" $img:MISSING"; ok=0; fi
      done
      line+=", images${state:- none}"
    else
      line+=", dockerd DOWN"
      ok=0
    fi
    line+=", latency $(latency_of "$n")"
    echo "$line"
  done
  if ns_valid "$REFUSED" && prove_refused >/dev/null 2>&1; then
    echo "h$REFUSED $(host_addr "$REFUSED"):22 refused (as intended)"
  else
    echo "h$REFUSED $(host_addr "$REFUSED"): DOWN"
    ok=0
  fi
  if pid=$(registry_pid) && registry_answers; then
    if registry_has_image; then
      echo "registry $REGISTRY ok ($pid), $REGISTRY_IMAGE present"
    else
      echo "registry $REGISTRY ok ($pid), $REGISTRY_IMAGE MISSING"
      ok=0
    fi
  else
    echo "registry $REGISTRY DOWN"
    ok=0
  fi
  [[ -f $ENV_JSON ]] || { echo "$ENV_JSON missing"; ok=0; }
  if ((ok)); then echo "all test hosts up"; else echo "test hosts NOT all up (run: $0 up)"; return 1; fi
}

# The images recorded in env.json by the last `up`.
resolve_status_images() {
  STATUS_IMAGES=()
  local list
  list=$(sed -n 's/^ *"images": \[\(.*\)\].*/\1/p' "$ENV_JSON" 2>/dev/null | tr -d '",') || list=
  read -r -a STATUS_IMAGES <<<"$list"
}

# ---------------------------------------------------------------------------------------------
# Latency

delay_pid() { owned_pid "$RUN/h$1/delay.pid" python3 "$RUN/delay.py"; }

# "20ms", "0.5s", "800us" or a bare number of milliseconds → microseconds.
delay_to_us() {
  local d=$1 num unit
  [[ $d =~ ^([0-9]+(\.[0-9]+)?)(us|ms|s)?$ ]] || die "bad delay '$d' (examples: 20ms, 0.1s, 500us)"
  num=${BASH_REMATCH[1]}
  unit=${BASH_REMATCH[3]:-ms}
  case $unit in
    us) awk -v x="$num" 'BEGIN { printf "%d", x }' ;;
    ms) awk -v x="$num" 'BEGIN { printf "%d", x * 1000 }' ;;
    s) awk -v x="$num" 'BEGIN { printf "%d", x * 1000000 }' ;;
  esac
}

latency_of() {
  local n=$1 q
  q=$(tc qdisc show dev "$(root_if "$n")" root 2>/dev/null | grep -o 'delay [^ ]*' || true)
  if [[ -n $q ]]; then echo "netem $q"; return; fi
  if delay_pid "$n" >/dev/null; then
    echo "nfqueue delay $(cat "$RUN/h$n/delay.setting" 2>/dev/null)"
    return
  fi
  echo off
}

remove_delay_rules() {
  ns_valid "$1" || return 0
  while nsenter --net="$(ns_path "$1")" -- iptables -w -t mangle -D PREROUTING -i "$(ns_if "$1")" \
    -j NFQUEUE --queue-num 0 --queue-bypass 2>/dev/null; do :; done
}

stop_delay() {
  local n=$1 pid
  remove_delay_rules "$n"
  if pid=$(delay_pid "$n"); then stop_pid "$pid" 5; fi
  rm -f "$RUN/h$n/delay.pid" "$RUN/h$n/delay.setting"
  tc qdisc del dev "$(root_if "$n")" root 2>/dev/null || true
}

# For `up`: a delay line killed with the session leaves its rule behind (harmless thanks to
# --queue-bypass, but misleading); a netem delay is left alone.
clean_stale_delay() {
  delay_pid "$1" >/dev/null && return 0
  remove_delay_rules "$1"
  rm -f "$RUN/h$1/delay.pid" "$RUN/h$1/delay.setting"
}

# A user-space delay line for kernels without sch_netem: packets entering the namespace through its
# veth are queued (NFQUEUE, a rule in the namespace's own mangle PREROUTING) and accepted after the
# delay: the root → namespace direction, the one netem on the root-side veth delays, so the round
# trip grows by the delay. Not on the way out of the namespace: a packet held there still counts
# against its socket's TCP small-queue budget, which throttled bulk transfers to ~1 MB/s; a packet
# that has crossed the veth no longer does. Python's standard library only (raw nfnetlink).
write_delay_program() {
  cat >"$RUN/delay.py" <<'PY'
import heapq, select, socket, struct, sys, time

delay = int(sys.argv[1]) / 1e6
queue = int(sys.argv[2])
NETLINK_NETFILTER, NFNL_SUBSYS_QUEUE = 12, 3
NFQNL_MSG_PACKET, NFQNL_MSG_VERDICT, NFQNL_MSG_CONFIG = 0, 1, 2
NFQA_CFG_CMD, NFQA_CFG_PARAMS, NFQA_CFG_QUEUE_MAXLEN, NFQA_CFG_MASK, NFQA_CFG_FLAGS = 1, 2, 3, 4, 5
NFQNL_MSG_VERDICT_BATCH = 3
NFQA_PACKET_HDR, NFQA_VERDICT_HDR = 1, 2
NLM_F_REQUEST, NLM_F_ACK, NLMSG_ERROR = 1, 4, 2
NF_ACCEPT, NFQNL_COPY_META = 1, 1
NFQA_CFG_F_FAIL_OPEN, NFQA_CFG_F_GSO = 1, 4

sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
sock.bind((0, 0))
seq = 0

def attr(kind, payload):
    pad = (4 - len(payload) % 4) % 4
    return struct.pack("=HH", 4 + len(payload), kind) + payload + b"\0" * pad

def send(msg_type, attrs, ack=False):
    global seq
    seq += 1
    body = struct.pack("=BBH", socket.AF_UNSPEC, 0, socket.htons(queue)) + b"".join(attrs)
    flags = NLM_F_REQUEST | (NLM_F_ACK if ack else 0)
    sock.send(struct.pack("=IHHII", 16 + len(body), (NFNL_SUBSYS_QUEUE << 8) | msg_type, flags, seq, 0) + body)
    if ack:
        data = sock.recv(65536)
        length, kind = struct.unpack_from("=IH", data, 0)
        if kind == NLMSG_ERROR:
            err = struct.unpack_from("=i", data, 16)[0]
            if err != 0:
                sys.exit("nfqueue config failed: errno %d" % -err)

send(NFQNL_MSG_CONFIG, [attr(NFQA_CFG_CMD, struct.pack("!BBH", 1, 0, socket.AF_INET))], ack=True)
send(NFQNL_MSG_CONFIG, [attr(NFQA_CFG_PARAMS, struct.pack("!IB", 0, NFQNL_COPY_META))], ack=True)
send(NFQNL_MSG_CONFIG, [attr(NFQA_CFG_QUEUE_MAXLEN, struct.pack("!I", 8192))], ack=True)
# Fail open when the queue is full; take GSO packets whole (not one verdict per 1500 bytes).
flags = NFQA_CFG_F_FAIL_OPEN | NFQA_CFG_F_GSO
send(NFQNL_MSG_CONFIG, [attr(NFQA_CFG_MASK, struct.pack("!I", flags)),
                        attr(NFQA_CFG_FLAGS, struct.pack("!I", flags))], ack=True)
sock.setblocking(False)
print("delaying queue %d by %.3f ms" % (queue, delay * 1000), flush=True)

# Packet ids grow and the delay is constant, so packets fall due in id order and one batch
# verdict (every id up to the given one) releases all that are due.
pending = []
while True:
    now = time.monotonic()
    last = None
    while pending and pending[0][0] <= now:
        last = heapq.heappop(pending)[1]
    if last is not None:
        send(NFQNL_MSG_VERDICT_BATCH, [attr(NFQA_VERDICT_HDR, struct.pack("!II", NF_ACCEPT, last))])
    timeout = max(0.0, pending[0][0] - now) if pending else None
    if not select.select([sock], [], [], timeout)[0]:
        continue
    try:
        data = sock.recv(1 << 20)
    except BlockingIOError:
        continue
    except OSError:  # ENOBUFS: messages were lost; fail-open and the batch verdicts free their packets
        continue
    offset = 0
    while offset + 16 <= len(data):
        length, kind = struct.unpack_from("=IH", data, offset)
        if length < 16:
            break
        if kind == (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET:
            pos = offset + 20
            while pos + 4 <= offset + length:
                alen, atype = struct.unpack_from("=HH", data, pos)
                if alen < 4:
                    break
                if atype & 0x3FFF == NFQA_PACKET_HDR:
                    packet_id = struct.unpack_from("!I", data, pos + 4)[0]
                    heapq.heappush(pending, (time.monotonic() + delay, packet_id))
                pos += (alen + 3) & ~3
        offset += (length + 3) & ~3
PY
}

python_bin() {
  if [[ -x /usr/bin/python3 ]]; then echo /usr/bin/python3; return; fi
  log "installing python3-minimal (for the user-space delay line)"
  apt_install python3-minimal
  echo /usr/bin/python3
}

cmd_latency() {
  local delay=${1:-} n us py pid err
  [[ -n $delay ]] || die "usage: $0 latency <delay|off>   (delay like 20ms, 0.1s, 500us)"
  require_root
  [[ $delay == off ]] || us=$(delay_to_us "$delay")
  take_lock
  for n in "${HOSTS[@]}"; do
    if ! ns_valid "$n" || ! veth_valid "$n"; then die "h$n is not up (run: $0 up)"; fi
  done
  for n in "${HOSTS[@]}"; do stop_delay "$n"; done
  if [[ $delay == off ]]; then
    echo "latency off on h${HOSTS[*]}"
    return 0
  fi
  if err=$(tc qdisc replace dev "$(root_if "${HOSTS[0]}")" root netem delay "${us}us" 2>&1); then
    for n in "${HOSTS[@]:1}"; do
      tc qdisc replace dev "$(root_if "$n")" root netem delay "${us}us"
    done
    echo "latency: netem delay ${us}us on $(for n in "${HOSTS[@]}"; do printf '%s ' "$(root_if "$n")"; done)"
    return 0
  fi
  log "tc netem is not available ($err); using the NFQUEUE delay line instead"
  py=$(python_bin)
  write_delay_program
  for n in "${HOSTS[@]}"; do
    pid=$(spawn "$LOGDIR/msm-test-hosts-h$n-delay.log" nsenter --net="$(ns_path "$n")" -- "$py" "$RUN/delay.py" "$us" 0)
    echo "$pid" >"$RUN/h$n/delay.pid"
    echo "$delay" >"$RUN/h$n/delay.setting"
    sleep 0.3
    process_alive "$pid" || {
      print_log_tail "$LOGDIR/msm-test-hosts-h$n-delay.log"
      die "h$n: the delay line did not start"
    }
    nsenter --net="$(ns_path "$n")" -- iptables -w -t mangle -A PREROUTING -i "$(ns_if "$n")" \
      -j NFQUEUE --queue-num 0 --queue-bypass
  done
  echo "latency: ${delay} added to every packet entering h${HOSTS[*]} (NFQUEUE delay line)"
}

usage() {
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
}

main() {
  local cmd=${1:-}
  [[ $# -gt 0 ]] && shift
  case $cmd in
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    status) cmd_status "$@" ;;
    latency) cmd_latency "$@" ;;
    -h | --help | help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
