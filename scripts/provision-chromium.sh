#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed at /usr/bin/chromium for the dashboard's browser tests
# (playwright-core drives it; nothing downloads a browser). A no-op when it is there; otherwise
# installs the `chromium` package (as root, or through sudo), waiting for another apt to finish.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/apt.sh"

CHROMIUM=/usr/bin/chromium

log() { echo "provision-chromium: $*" >&2; }

if [[ -x $CHROMIUM ]]; then exit 0; fi

log "installing Debian's chromium"
apt_install chromium
if [[ ! -x $CHROMIUM ]]; then
  log "the chromium package did not provide $CHROMIUM"
  exit 1
fi
log "$("$CHROMIUM" --version 2>/dev/null || echo chromium) installed"
