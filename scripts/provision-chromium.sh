#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed at /usr/bin/chromium for the dashboard's browser tests
# (playwright-core drives it; nothing downloads a browser). A no-op when it is there; otherwise
# installs the `chromium` package (as root, or through sudo), waiting for another apt to finish.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

log() { echo "provision-chromium: $*" >&2; }

as_root() {
  if [[ $EUID -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

if [[ -x $CHROMIUM ]]; then exit 0; fi

log "installing Debian's chromium"
apt_get=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300)
if ! as_root "${apt_get[@]}" install -y -qq --no-install-recommends chromium >/dev/null; then
  # A fresh machine may have no package lists yet.
  as_root "${apt_get[@]}" update -qq
  as_root "${apt_get[@]}" install -y -qq --no-install-recommends chromium >/dev/null
fi
if [[ ! -x $CHROMIUM ]]; then
  log "the chromium package did not provide $CHROMIUM"
  exit 1
fi
log "$("$CHROMIUM" --version 2>/dev/null || echo chromium) installed"
