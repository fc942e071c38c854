#!/usr/bin/env bash
# Makes `docker compose` (Compose v2) available without a registry: builds it from the Go module
# proxy into $REBOUND_CACHE/compose/<version>/, once per version, and links it as a Docker CLI
# plugin (~/.docker/cli-plugins/docker-compose). Idempotent: a current install costs one readlink.
#
# Why v2 from source rather than Debian's docker-compose 1.29 (python): v1 is end-of-life, speaks
# another CLI (`docker-compose`, not `docker compose`), names containers with `_` instead of `-`,
# and does not replace a changed service the way today's Compose does; the two-tier experiment and
# the rollout notes measure today's Compose. v2.40.3 is the last v2 release; it builds with the
# installed Go (>= 1.24) and negotiates the API version, so it talks to Docker 20.10 (API 1.41).
set -euo pipefail
# scripts/kind/lib.sh gives the Go environment every Go build here uses: GOTOOLCHAIN=local, the
# module proxy without "direct", and $NICE.
source "$(dirname "$0")/kind/lib.sh"
COMPOSE_VERSION=${REBOUND_COMPOSE_VERSION:-v2.40.3}
dir=$REBOUND_CACHE/compose/$COMPOSE_VERSION
plugin_dir=${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins

# A Compose v2 the machine already has (Docker's docker-compose-plugin, say) is used as it is.
if [ ! -L "$plugin_dir/docker-compose" ] && docker compose version >/dev/null 2>&1; then
  say "docker compose: $(docker compose version --short 2>/dev/null) (already installed)"
  exit 0
fi

if [ ! -x "$dir/docker-compose" ]; then
  command -v go >/dev/null || die "Go >= 1.24 is needed to build Docker Compose $COMPOSE_VERSION (Debian 12's golang-go is 1.19): install it in /usr/local/go"
  go_version=$(go env GOVERSION | sed 's/^go//')
  [ "$(printf '%s\n' 1.24 "$go_version" | sort -V | head -n 1)" = 1.24 ] || die "Go $go_version is too old: Docker Compose $COMPOSE_VERSION needs Go >= 1.24"
  apt_install jq
  say "building Docker Compose $COMPOSE_VERSION from the Go module proxy (a few minutes on 2 cores)"
  mkdir -p "$dir"
  # Beside the cache entry, so the final mv is a rename within one file system.
  work=$(mktemp -d "$REBOUND_CACHE/compose/.build-XXXXXX"); trap 'rm -rf "$work"' EXIT
  # Not `go install …@version`: Compose's go.mod has exclude directives, which go install refuses.
  # Its module source (from the proxy, with its go.mod and go.sum) builds as the main module instead;
  # the output goes to a temporary file first, so an interrupted build never leaves a half-written
  # docker-compose in the cache.
  src=$(cd "$work" && go mod download -json "github.com/docker/compose/v2@$COMPOSE_VERSION" | jq -r .Dir)
  (cd "$src" && CGO_ENABLED=0 $NICE go build -trimpath -o "$work/docker-compose" \
    -ldflags "-s -w -X github.com/docker/compose/v2/internal.Version=$COMPOSE_VERSION" ./cmd)
  mv "$work/docker-compose" "$dir/docker-compose"
fi

mkdir -p "$plugin_dir"
if [ "$(readlink "$plugin_dir/docker-compose" 2>/dev/null)" != "$dir/docker-compose" ]; then
  if [ -e "$plugin_dir/docker-compose" ] && [ ! -L "$plugin_dir/docker-compose" ]; then
    die "$plugin_dir/docker-compose exists and is not rebound's link: remove it or set REBOUND_COMPOSE_VERSION to match it"
  fi
  ln -sfn "$dir/docker-compose" "$plugin_dir/docker-compose"
fi
docker compose version >/dev/null 2>&1 || die "docker compose does not answer after linking $plugin_dir/docker-compose"
say "docker compose: $(docker compose version --short 2>/dev/null)"
