# shellcheck shell=bash disable=SC2034  # (variables used by the scripts that source this file)
# Shared by every scripts/kind/ step and by scripts/kind-cluster.sh. Sourced, not run.
# Defines the versions, where the products are cached, and the step protocol.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/versions.sh"

KIND_SCRIPTS=$REBOUND_ROOT/scripts/kind
# Everything built for one (Kubernetes, kind) pair lives here, outside the repo.
KIND_CACHE=$REBOUND_CACHE/kind/$KUBERNETES_VERSION-$KIND_VERSION
KIND_BIN=$KIND_CACHE/bin        # kind, kubectl, kubeadm, …: what the TypeScript code and the tests run
KIND_LOGS=$KIND_CACHE/logs      # one log per step, plus timings.log
KIND_STAMPS=$KIND_CACHE/stamps  # one file per built product: the signature it was built from
KIND_WORK=$KIND_CACHE/work      # Go build modules, rootfs trees, docker build contexts
mkdir -p "$KIND_BIN" "$KIND_LOGS" "$KIND_STAMPS" "$KIND_WORK"

CLUSTER_NAME=rebound
NODE_IMAGE=rebound/kind-node:$KUBERNETES_VERSION
KUBECONFIG_FILE=$REBOUND_CACHE/kind-$CLUSTER_NAME.kubeconfig

export PATH="$KIND_BIN:$PATH"
[ -x /usr/local/go/bin/go ] && export PATH="$PATH:/usr/local/go/bin"
# Never let the go command fetch a toolchain or fall back to cloning repositories: the Go module
# proxy is the only Go source this machine may use ("direct" would mean git to the internet).
export GOTOOLCHAIN=local
if command -v go >/dev/null; then
  GOPROXY=$(go env GOPROXY | sed -E 's/[,|]direct$//; s/^direct$/off/')
  export GOPROXY
fi
# The 28.x docker client sends `docker build` to buildx when BuildKit is on, and buildx is not
# installed here; the classic builder needs nothing but the daemon and builds FROM scratch offline.
export DOCKER_BUILDKIT=0
# Builds run at lower priority: the machine has 2 cores, shared with TypeScript builds and tests.
NICE="nice -n 10"

# --- Step protocol -------------------------------------------------------------------------------
# A step script builds one product. It defines
#   is_current  exit 0 when the product exists and was built from the current signature
#   build       build the product (output goes to the step's log)
# and ends with `step_main "$@"`. `step.sh --check` only answers is_current; `step.sh` builds
# unless current. scripts/kind-cluster.sh runs the steps, times them and keeps their logs.
step_main() {
  case "${1:-}" in
    --check) is_current ;;
    "") if is_current; then echo "up to date"; else build; fi ;;
    *) die "usage: $0 [--check]" ;;
  esac
}

# A short hash of what a product is built from: each argument is a file (its content counts) or a
# plain string (a version). Comments in a step script count too: a rebuild is cheap thanks to the
# Go build cache, a stale product is not.
signature() {
  local a
  for a in "$@"; do
    if [ -f "$a" ]; then cat "$a"; else printf '%s\n' "$a"; fi
  done | sha256sum | cut -c1-16
}
stamp_is() { [ "$(cat "$KIND_STAMPS/$1" 2>/dev/null)" = "$2" ]; }
stamp_set() { printf '%s\n' "$2" > "$KIND_STAMPS/$1"; }

# Images carry their signature as a label, so "present and current" is one inspect.
SIGNATURE_LABEL=dev.rebound.signature
image_signature() { docker image inspect -f "{{index .Config.Labels \"$SIGNATURE_LABEL\"}}" "$1" 2>/dev/null || true; }
image_is() { [ "$(image_signature "$1")" = "$2" ]; }

# rm -rf of a chroot that still has /proc or /dev mounted inside would reach into the host:
# refuse instead.
remove_tree() {
  local dir=$1
  [ -e "$dir" ] || return 0
  if awk -v d="$(readlink -f "$dir")/" 'index($2"/", d) == 1 { found=1 } END { exit !found }' /proc/mounts; then
    die "refusing to delete $dir: something is still mounted under it (see /proc/mounts)"
  fi
  rm -rf "$dir"
}

# The source directory of a module version, fetched through the Go module proxy.
go_module_dir() { (cd "$KIND_WORK" && go mod download -json "$1" | jq -r .Dir); }
