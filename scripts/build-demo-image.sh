#!/usr/bin/env bash
# Builds the demo app image (rebound/demo-app:v1, or $REBOUND_DEMO_IMAGE) from demo-app/ with Go and `FROM scratch`:
# no registry needed. Rebuilds only when the source changed (its hash is an image label).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
IMAGE=${REBOUND_DEMO_IMAGE:-rebound/demo-app:v1}
src="$REBOUND_ROOT/demo-app"
# Every Go file counts (main.go, version.go, tier.go, …), in a stable order, with its name: a new or
# renamed file changes the hash too.
hash=$(cd "$src" && for f in $(LC_ALL=C ls ./*.go) go.mod Dockerfile; do printf '%s\n' "$f"; cat "$f"; done | sha256sum | cut -c1-16)
# --hash: print the source hash the image carries when current (tests check a loaded image with it).
if [ "${1:-}" = "--hash" ]; then echo "$hash"; exit 0; fi
if [ "$(docker image inspect -f '{{index .Config.Labels "dev.rebound.source-hash"}}' "$IMAGE" 2>/dev/null)" = "$hash" ]; then
  exit 0
fi
command -v go >/dev/null || export PATH=$PATH:/usr/local/go/bin
command -v go >/dev/null || apt_install golang-go
build=$(mktemp -d); trap 'rm -rf "$build"' EXIT
say "building $IMAGE"
(cd "$src" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$build/demo-app" .)
cp "$src/Dockerfile" "$build/"
DOCKER_BUILDKIT=0 docker build -q --label "dev.rebound.source-hash=$hash" -t "$IMAGE" "$build" >/dev/null
