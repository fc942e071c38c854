#!/usr/bin/env bash
# Builds the kind CLI from the Go module proxy (sigs.k8s.io/kind is go-installable).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
SIGNATURE=$(signature "$KIND_VERSION" "$0")
is_current() { stamp_is kind "$SIGNATURE" && [ -x "$KIND_BIN/kind" ]; }
build() {
  CGO_ENABLED=0 GOBIN=$KIND_BIN $NICE go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kind@$KIND_VERSION"
  "$KIND_BIN/kind" version
  stamp_set kind "$SIGNATURE"
}
step_main "$@"
