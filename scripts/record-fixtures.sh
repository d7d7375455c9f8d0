#!/usr/bin/env bash
# Records real docker output into spec/fixtures/docker for the parser tests: `docker inspect` of
# containers in each state the parsers must translate, `docker stats`/`docker ps` JSON lines,
# `docker version`, and the stderr of the two failures the CLI must recognise.
#
# Idempotent: removes its containers (named msm-fixture-*, labelled msm.name=<name>) before and
# after, and replaces the fixture files only once every recording succeeded. Container ids, host
# ports and timestamps differ on every run, so parser tests must be updated with a re-recording.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEST=$ROOT/spec/fixtures/docker
PREFIX=msm-fixture-
MCP_IMAGE=msm-test-mcp:latest
BUSYBOX_IMAGE=msm-busybox:latest
WORK=$(mktemp -d)
OUT=$WORK/out
mkdir -p "$OUT"

log() { echo "record-fixtures: $*" >&2; }

remove_fixture_containers() {
  local ids
  ids=$(docker ps -aq --filter "name=$PREFIX")
  if [[ -n $ids ]]; then
    # shellcheck disable=SC2086 # one id per word
    docker rm -f $ids >/dev/null
  fi
}

cleanup() {
  remove_fixture_containers || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# run_fixture NAME DOCKER_RUN_ARGS... : `docker run -d` with the fixture name and label.
run_fixture() {
  local name=$PREFIX$1
  shift
  docker run -d --name "$name" --label "msm.name=$name" "$@" >/dev/null
}

# wait_for_state NAME PATTERN FILE: inspects NAME until its JSON matches PATTERN (an extended
# regex on the indented output), then keeps that very output, so the state cannot change between
# the check and the recording.
wait_for_state() {
  local name=$PREFIX$1 pattern=$2 file=$3 deadline=$((SECONDS + 60))
  while ((SECONDS < deadline)); do
    docker inspect "$name" >"$WORK/candidate.json"
    if grep -Eq "$pattern" "$WORK/candidate.json"; then
      mv "$WORK/candidate.json" "$OUT/$file"
      return 0
    fi
    sleep 0.2
  done
  log "$name never matched /$pattern/; last state:"
  docker inspect --format '{{json .State}}' "$name" >&2
  exit 1
}

wait_for_log_line() {
  local name=$PREFIX$1 line=$2 deadline=$((SECONDS + 30))
  until docker logs "$name" 2>&1 | grep -qF "$line"; do
    if ((SECONDS >= deadline)); then
      log "$name never logged '$line'"
      docker logs "$name" >&2
      exit 1
    fi
    sleep 0.2
  done
}

bash "$ROOT/scripts/build-test-images.sh" >/dev/null
remove_fixture_containers

log "starting containers"
# What `mcp start` creates: the MCP server with its port on loopback, env, labels, restart policy.
run_fixture running -p 127.0.0.1::8080 -e WHO=alice -e LOG_LEVEL=info \
  --label msm.managed=true --restart unless-stopped "$MCP_IMAGE"
run_fixture noports "$BUSYBOX_IMAGE" sleep 3600
# Its own stop timeout, which sets how long mcp waits for `docker stop`.
run_fixture stoptimeout --stop-timeout 150 "$BUSYBOX_IMAGE" sleep 3600
# TCP and UDP, a container port range, an exposed but unpublished port, and the image's EXPOSE.
run_fixture manyports -p 127.0.0.1::8080 -p 127.0.0.1::9000-9002 -p 127.0.0.1::5353/udp \
  --expose 7000 "$MCP_IMAGE"
run_fixture exited "$BUSYBOX_IMAGE" sh -c 'echo failing >&2; exit 3'
run_fixture restarting --restart always "$BUSYBOX_IMAGE" sh -c 'exit 1'
run_fixture unhealthy --health-cmd 'exit 1' --health-interval 1s --health-retries 2 \
  --health-timeout 2s "$BUSYBOX_IMAGE" sleep 3600
run_fixture healthy --health-cmd 'exit 0' --health-interval 1s --health-timeout 2s \
  "$BUSYBOX_IMAGE" sleep 3600
run_fixture paused "$BUSYBOX_IMAGE" sleep 3600
docker create --name "${PREFIX}created" --label "msm.name=${PREFIX}created" -p 127.0.0.1::8080 \
  "$MCP_IMAGE" >/dev/null
# Crash forensics: a process killed for going over its memory limit, and a start docker refused
# (the container stays `created`, with docker's error and exit code 127).
run_fixture oomkilled --memory 16m --memory-swap 16m "$BUSYBOX_IMAGE" \
  sh -c 'x=$(head -c 200000000 /dev/zero | tr "\0" a); echo "$x"'
docker create --name "${PREFIX}starterror" --label "msm.name=${PREFIX}starterror" "$BUSYBOX_IMAGE" /nonexistent >/dev/null
if docker start "${PREFIX}starterror" >/dev/null 2>"$OUT/start-failed.stderr.txt"; then
  log "docker start of a missing program unexpectedly succeeded"
  exit 1
fi

docker pause "${PREFIX}paused" >/dev/null
docker wait "${PREFIX}exited" >/dev/null
docker wait "${PREFIX}oomkilled" >/dev/null
wait_for_log_line running 'msm-test-mcp listening on :8080'
wait_for_log_line manyports 'msm-test-mcp listening on :8080'

log "recording inspect output"
wait_for_state running '"Status": "running"' inspect-running.json
wait_for_state noports '"Status": "running"' inspect-noports.json
wait_for_state stoptimeout '"Status": "running"' inspect-stoptimeout.json
wait_for_state manyports '"Status": "running"' inspect-manyports.json
wait_for_state exited '"ExitCode": 3' inspect-exited.json
wait_for_state restarting '"Status": "restarting"' inspect-restarting.json
wait_for_state unhealthy '"Status": "unhealthy"' inspect-unhealthy.json
wait_for_state healthy '"Status": "healthy"' inspect-healthy.json
wait_for_state paused '"Status": "paused"' inspect-paused.json
wait_for_state created '"Status": "created"' inspect-created.json
wait_for_state oomkilled '"OOMKilled": true' inspect-oomkilled.json
wait_for_state starterror '"ExitCode": 127' inspect-starterror.json
docker inspect "${PREFIX}running" "${PREFIX}exited" "${PREFIX}created" >"$OUT/inspect-multi.json"

log "recording stats, ps and version"
docker stats --no-stream --format '{{json .}}' "${PREFIX}running" "${PREFIX}manyports" \
  "${PREFIX}noports" "${PREFIX}healthy" "${PREFIX}paused" "${PREFIX}exited" >"$OUT/stats.jsonl"
docker ps -a --no-trunc --filter "name=$PREFIX" --format '{{json .}}' >"$OUT/ps.jsonl"
docker version --format '{{json .}}' >"$OUT/version.json"

log "recording error output"
# Both print "[]" on stdout and exit 1; the stderr text is what tells the two apart.
if docker inspect nosuchcontainer >/dev/null 2>"$OUT/inspect-missing.stderr.txt"; then
  log "docker inspect nosuchcontainer unexpectedly succeeded"
  exit 1
fi
if DOCKER_HOST=unix:///nonexistent.sock docker inspect nosuchcontainer >/dev/null 2>"$OUT/daemon-down.stderr.txt"; then
  log "docker inspect without a daemon unexpectedly succeeded"
  exit 1
fi

mkdir -p "$DEST"
cp "$OUT"/* "$DEST/"
log "wrote $(ls "$OUT" | wc -l) files to ${DEST#"$ROOT"/}"
