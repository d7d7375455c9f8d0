#!/usr/bin/env bash
# The demo: on a fresh machine, installs what is missing, builds the tool and the test MCP server
# image, then registers, starts, lists and inspects one server on the local docker engine, calls
# its MCP endpoint, and cleans up. Uses a private registry, so your own is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

[[ -d node_modules/yargs ]] || { step "npm ci"; npm ci --no-audit --no-fund; }
step "engine"; bash scripts/provision-docker.sh
step "build"; npm run -s build
step "images"; bash scripts/build-test-images.sh

demo_dir=$(mktemp -d)
export MSM_REGISTRY="$demo_dir/registry.yaml" XDG_STATE_HOME="$demo_dir/state"
mcp() { node dist/mcp.js "$@"; }
cleanup() { mcp remove demo --yes --purge >/dev/null 2>&1 || true; rm -rf "$demo_dir"; }
trap cleanup EXIT

port=${DEMO_PORT:-18181}
step "mcp add demo"
mcp add demo --port "$port" --description "test MCP server" \
  --command "docker run -d -p 127.0.0.1:$port:8080 -e WHO=\${DEMO_WHO:-alice} msm-test-mcp:latest"
step "mcp start demo --dry-run"; mcp start demo --dry-run
step "mcp start demo --wait"; mcp start demo --wait --timeout 30
step "mcp list --stats"; mcp list --stats
step "mcp health demo"; mcp health demo
step "mcp get demo"; mcp get demo
step "MCP initialize + tools/call whoami on 127.0.0.1:$port"
node scripts/mcp-call.mjs "http://127.0.0.1:$port/mcp" whoami
step "mcp stop demo"; mcp stop demo
step "mcp list --json"; mcp list --json
step "done (cleaning up)"
