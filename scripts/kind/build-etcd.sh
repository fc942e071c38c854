#!/usr/bin/env bash
# Builds etcd (and etcdctl) for kubeadm's etcd static pod. Debian's etcd-server (3.4) fails as
# kubeadm 1.34's static pod, so this is the version kubeadm asks for, from the Go module proxy.
# Why a build module: go.etcd.io/etcd/server/v3 is not `go install`able (its go.mod has replace
# directives), and its main package is the module root, so the binary comes out named "server".
set -euo pipefail
source "$(dirname "$0")/lib.sh"
SIGNATURE=$(signature "$ETCD_VERSION" "$0")
MODULE=$KIND_WORK/etcd-build
is_current() { stamp_is etcd "$SIGNATURE" && [ -x "$KIND_BIN/etcd" ] && [ -x "$KIND_BIN/etcdctl" ]; }
build() {
  mkdir -p "$MODULE/out" && cd "$MODULE"
  cat > go.mod <<EOT
module rebound.local/etcd-build

go 1.24

require (
	go.etcd.io/etcd/server/v3 $ETCD_VERSION
	go.etcd.io/etcd/etcdctl/v3 $ETCD_VERSION
)
EOT
  printf '//go:build tools\n\npackage tools\n\nimport (\n\t_ "go.etcd.io/etcd/server/v3"\n\t_ "go.etcd.io/etcd/etcdctl/v3"\n)\n' > tools.go
  $NICE go mod tidy
  CGO_ENABLED=0 $NICE go build -trimpath -ldflags "-s -w" -o out/ go.etcd.io/etcd/server/v3 go.etcd.io/etcd/etcdctl/v3
  mv out/server "$KIND_BIN/etcd"
  mv out/etcdctl "$KIND_BIN/etcdctl"
  "$KIND_BIN/etcd" --version
  stamp_set etcd "$SIGNATURE"
}
step_main "$@"
