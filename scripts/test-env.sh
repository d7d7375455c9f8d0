#!/usr/bin/env bash
# Everything the test suite needs, installed and started when missing, quick when present:
# node modules, a running docker engine, the locally built test images, and Debian's Chromium
# (the dashboard's browser tests).
# Runs as `pretest`, so `npm test` works on a fresh machine (as root: it may apt-get install).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/apt.sh

if [[ ! -d node_modules/jest ]]; then
  echo "test-env: installing node modules" >&2
  npm ci --no-audit --no-fund
fi
bash scripts/provision-docker.sh
# openssl makes the self-signed certificate of the `mcp serve` HTTPS test.
if ! command -v openssl >/dev/null; then
  echo "test-env: installing openssl" >&2
  apt_install openssl
fi
# tmux and script(1) run the CLI in real terminals (help wrapping at 80 columns, list --watch);
# zsh and fish run its completion scripts for real.
for tool in tmux:tmux script:bsdutils zsh:zsh fish:fish; do
  if ! command -v "${tool%%:*}" >/dev/null; then
    echo "test-env: installing ${tool#*:}" >&2
    apt_install "${tool#*:}"
  fi
done
bash scripts/provision-chromium.sh
bash scripts/build-test-images.sh
# The namespace SSH hosts (sshd + dockerd each) and the image registry for the fleet tests.
bash scripts/test-hosts.sh up
