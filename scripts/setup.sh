#!/usr/bin/env bash
# Installs and starts everything rebound's demo and tests need, idempotently:
# Node >= 22, npm packages + build, the Docker engine, the demo app image, docker compose and (unless --docker-only)
# the offline kind cluster. Prints the environment to eval: `eval "$(bash scripts/setup.sh)"`.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REBOUND_ROOT"
with_cluster=1
[ "${1:-}" = "--docker-only" ] && with_cluster=0

node_bin=$(bash scripts/ensure-node.sh)
export PATH="$node_bin:$PATH"
stamp="$REBOUND_CACHE/npm-installed-$(cat package-lock.json package.json | sha256sum | cut -c1-16)"
if [ ! -d node_modules ] || [ ! -f "$stamp" ] || [ ! -f node_modules/.package-lock.json ]; then
  say "npm ci (Node $(node --version))"
  npm ci --no-audit --no-fund --loglevel=error >&2
  touch "$stamp"
fi
say "building rebound"
npm run --silent build >&2

bash scripts/ensure-docker.sh
bash scripts/build-demo-image.sh >&2
# docker compose v2, built from the Go module proxy once per version (the two-tier experiment).
bash scripts/ensure-compose.sh >&2
# The network and resource faults' helper image (also built by kind-cluster.sh up, from the same cache).
bash scripts/helper-images.sh >&2
# Debian's Chromium, for the HTML report's browser test (never a browser download).
if [ -f scripts/ensure-chromium.sh ]; then bash scripts/ensure-chromium.sh >&2; fi
# tmux: the game-day test drives `rebound gameday` in a real terminal (send-keys / capture-pane).
apt_install tmux >&2
echo "export PATH=\"$node_bin:\$PATH\""
if [ "$with_cluster" = 1 ]; then
  bash scripts/kind-cluster.sh up >&2
  bash scripts/kind-cluster.sh env
fi
