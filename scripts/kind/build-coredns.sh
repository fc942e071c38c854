#!/usr/bin/env bash
# Builds CoreDNS (kubeadm's cluster DNS) from the Go module proxy; 5-6 min on 2 cores.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
SIGNATURE=$(signature "$COREDNS_VERSION" "$0")
is_current() { stamp_is coredns "$SIGNATURE" && [ -x "$KIND_BIN/coredns" ]; }
build() {
  CGO_ENABLED=0 GOBIN=$KIND_BIN $NICE go install -trimpath -ldflags "-s -w" "github.com/coredns/coredns@$COREDNS_VERSION"
  "$KIND_BIN/coredns" -version
  stamp_set coredns "$SIGNATURE"
}
step_main "$@"
