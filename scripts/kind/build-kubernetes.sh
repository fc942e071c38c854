#!/usr/bin/env bash
# Builds the Kubernetes binaries kind's node image and its control-plane images need (kubeadm,
# kubelet, kubectl, kube-apiserver, kube-controller-manager, kube-scheduler, kube-proxy) from the Go
# module proxy. The long pole of a cold `kind-cluster.sh up`: 12-14 min on 2 cores.
#
# Why a build module: k8s.io/kubernetes cannot be `go install`ed, because its go.mod replaces each
# staging module (k8s.io/api, k8s.io/client-go, …) with ./staging/src/…, and replace directives of a
# dependency are ignored. So a small module requires k8s.io/kubernetes and replaces each staging
# module with its published twin (k8s.io/api => k8s.io/api v0.34.4), the list taken from
# kubernetes' own go.mod so it can't drift.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

COMMANDS=(kubeadm kubelet kubectl kube-apiserver kube-controller-manager kube-scheduler kube-proxy)
SIGNATURE=$(signature "$KUBERNETES_VERSION" "$0")
MODULE=$KIND_WORK/kubernetes-build

is_current() {
  stamp_is kubernetes "$SIGNATURE" || return 1
  local c; for c in "${COMMANDS[@]}"; do [ -x "$KIND_BIN/$c" ] || return 1; done
}

write_build_module() {
  local source_dir; source_dir=$(go_module_dir "k8s.io/kubernetes@$KUBERNETES_VERSION")
  mkdir -p "$MODULE"
  {
    echo "module rebound.local/kubernetes-build"
    echo
    grep -E '^(go|godebug) ' "$source_dir/go.mod"   # same language version and GODEBUG defaults as upstream
    echo
    echo "require k8s.io/kubernetes $KUBERNETES_VERSION"
    echo
    echo "replace ("
    sed -n '/^replace (/,/^)/p' "$source_dir/go.mod" | awk -v v="$KUBERNETES_STAGING_VERSION" '$3 ~ /^\.\/staging\// { print "\t" $1 " => " $1 " " v }'
    echo ")"
  } > "$MODULE/go.mod"
  # Imports keep the commands in the module graph for `go mod tidy`; the build tag keeps this file
  # out of every build.
  {
    printf '//go:build tools\n\npackage tools\n\nimport (\n'
    local c; for c in "${COMMANDS[@]}"; do printf '\t_ "k8s.io/kubernetes/cmd/%s"\n' "$c"; done
    printf ')\n'
  } > "$MODULE/tools.go"
  echo "build module: $(grep -c ' => ' "$MODULE/go.mod") staging modules pinned to $KUBERNETES_STAGING_VERSION"
}

build() {
  write_build_module
  cd "$MODULE"
  echo "== go mod tidy"
  time $NICE go mod tidy
  # Without version ldflags the binaries call themselves "v0.0.0-master+$Format:%H$" and kubeadm
  # rejects that version (seen in the notes' first attempt); stamp it the way Kubernetes' own build
  # does (hack/lib/version.sh), in both version packages.
  local minor; minor=$(echo "$KUBERNETES_VERSION" | cut -d. -f2)
  local ldflags="-s -w" p
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $p.gitVersion=$KUBERNETES_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor"
    ldflags+=" -X $p.gitTreeState=clean -X $p.gitCommit=0000000000000000000000000000000000000000"
    ldflags+=" -X $p.buildDate=1970-01-01T00:00:00Z"
  done
  local packages=() c
  for c in "${COMMANDS[@]}"; do packages+=("k8s.io/kubernetes/cmd/$c"); done
  echo "== go build ${COMMANDS[*]}"
  # Static binaries: they run FROM scratch in the control-plane images.
  time CGO_ENABLED=0 $NICE go build -trimpath -ldflags "$ldflags" -o "$KIND_BIN/" "${packages[@]}"
  "$KIND_BIN/kubeadm" version -o short
  [ "$("$KIND_BIN/kubeadm" version -o short)" = "$KUBERNETES_VERSION" ] || die "kubeadm reports the wrong version"
  stamp_set kubernetes "$SIGNATURE"
}

step_main "$@"
