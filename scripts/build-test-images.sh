#!/usr/bin/env bash
# Builds the local test images without any registry (none is reachable):
#   msm-test-mcp:latest  node + its shared libraries + the bundled scripts/test-server/server.ts
#   msm-busybox:latest   Debian's static busybox with a few applet links
# Both are FROM scratch root file systems fed to `docker import`, which needs no builder (the
# engines here range from Debian's 20.10 to newer clients without buildx). Each image carries a
# label with the hash of its inputs and is rebuilt only when that hash changes, so a re-run is a
# no-op. Uses whatever engine `docker` reaches: set DOCKER_HOST to load the images elsewhere.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/scripts/lib/apt.sh"
HASH_LABEL=msm.test-image.hash
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

log() { echo "build-test-images: $*" >&2; }

engine_check() {
  if timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then return 0; fi
  if [[ -z ${DOCKER_HOST:-} ]]; then
    bash "$ROOT/scripts/provision-docker.sh"
  else
    log "no engine answers at DOCKER_HOST=$DOCKER_HOST"
    exit 1
  fi
}

image_hash() {
  docker image inspect --format "{{ index .Config.Labels \"$HASH_LABEL\" }}" "$1" 2>/dev/null || true
}

image_id() {
  docker image inspect --format '{{.Id}}' "$1" 2>/dev/null || true
}

# import_image IMAGE ROOTFS HASH CHANGE... : tars ROOTFS as root-owned files into IMAGE, replacing
# the previous image of that tag (kept when a container still uses it).
import_image() {
  local image=$1 rootfs=$2 hash=$3 change old_id new_id
  shift 3
  local args=(--change "LABEL $HASH_LABEL=$hash")
  for change in "$@"; do args+=(--change "$change"); done
  old_id=$(image_id "$image")
  tar --numeric-owner --owner=0 --group=0 -C "$rootfs" -cf - . | docker import "${args[@]}" - "$image" >/dev/null
  new_id=$(image_id "$image")
  if [[ -n $old_id && $old_id != "$new_id" ]]; then
    docker image rm "$old_id" >/dev/null 2>&1 || true
  fi
}

# build_if_changed IMAGE ROOTFS HASH CHANGE...
build_if_changed() {
  local image=$1 hash=$3 started=$SECONDS
  if [[ $(image_hash "$image") == "$hash" ]]; then
    echo "$image: up to date"
    return 0
  fi
  import_image "$@"
  echo "$image: built ($(docker image inspect --format '{{.Size}}' "$image") bytes, $((SECONDS - started)) s)"
}

# copy_with_parents SOURCE ROOTFS [DEST]: copies the file SOURCE points to (symlinks followed) to
# the same path, or DEST, inside ROOTFS.
copy_with_parents() {
  local source=$1 rootfs=$2 dest=${3:-$1}
  mkdir -p "$rootfs$(dirname "$dest")"
  cp -L "$source" "$rootfs$dest"
}

build_test_mcp() {
  local image=msm-test-mcp:latest rootfs=$WORK/test-mcp node_bin node_version
  node_bin=$(readlink -f "$(command -v node)")
  node_version=$("$node_bin" --version)

  mkdir -p "$rootfs/app" "$rootfs/tmp"
  chmod 1777 "$rootfs/tmp"
  # CommonJS: /app/server.js has no package.json beside it, so node loads it as a script.
  "$ROOT/node_modules/.bin/esbuild" "$ROOT/scripts/test-server/server.ts" --bundle \
    --platform=node --format=cjs --target=node20 --log-level=warning \
    --outfile="$rootfs/app/server.js"

  copy_with_parents "$node_bin" "$rootfs" /usr/bin/node
  # ldd lines: "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" and, for the loader,
  # "/lib64/ld-linux-x86-64.so.2 (0x...)"; the vdso has no file.
  local line lib libs=()
  while read -r line; do
    if [[ $line == *"not found"* ]]; then
      log "node needs a library ldd cannot find: $line"
      exit 1
    elif [[ $line =~ =\>\ (/[^ ]+) ]]; then
      lib=${BASH_REMATCH[1]}
    elif [[ $line =~ ^(/[^ ]+) ]]; then
      lib=${BASH_REMATCH[1]}
    else
      continue
    fi
    libs+=("$lib")
    copy_with_parents "$lib" "$rootfs"
  done < <(ldd "$node_bin")

  local changes=(
    'ENTRYPOINT ["/usr/bin/node", "/app/server.js"]'
    'ENV PORT=8080'
    'EXPOSE 8080'
  )
  local hash
  hash=$({
    cat "$rootfs/app/server.js"
    echo "node $node_version $(uname -m)"
    printf '%s\n' "${libs[@]}" "${changes[@]}"
  } | sha256sum | cut -c1-64)
  build_if_changed "$image" "$rootfs" "$hash" "${changes[@]}"
}

ensure_static_busybox() {
  # The busybox package (dynamic) conflicts with busybox-static and also ships /bin/busybox.
  if [[ -x /bin/busybox ]] && ! ldd /bin/busybox >/dev/null 2>&1; then return 0; fi
  log "installing busybox-static"
  apt_install busybox-static
}

build_busybox() {
  local image=msm-busybox:latest rootfs=$WORK/busybox applet
  local applets=(sh sleep echo cat httpd nc ls env)
  ensure_static_busybox

  mkdir -p "$rootfs/bin" "$rootfs/tmp"
  chmod 1777 "$rootfs/tmp"
  cp /bin/busybox "$rootfs/bin/busybox"
  for applet in "${applets[@]}"; do ln -s busybox "$rootfs/bin/$applet"; done

  local changes=('CMD ["/bin/sh"]' 'ENV PATH=/bin')
  local hash
  hash=$({
    cat /bin/busybox
    printf '%s\n' "${applets[@]}" "${changes[@]}"
  } | sha256sum | cut -c1-64)
  build_if_changed "$image" "$rootfs" "$hash" "${changes[@]}"
}

engine_check
build_test_mcp
build_busybox
