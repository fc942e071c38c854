#!/usr/bin/env bash
# Builds crictl for the node image: `kind load docker-image` runs `crictl inspecti` in every node,
# and Debian 12 has no cri-tools package.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
SIGNATURE=$(signature "$CRICTL_VERSION" "$0")
is_current() { stamp_is crictl "$SIGNATURE" && [ -x "$KIND_BIN/crictl" ]; }
build() {
  CGO_ENABLED=0 GOBIN=$KIND_BIN $NICE go install -trimpath \
    -ldflags "-s -w -X sigs.k8s.io/cri-tools/pkg/version.Version=$CRICTL_VERSION" \
    "sigs.k8s.io/cri-tools/cmd/crictl@$CRICTL_VERSION"
  "$KIND_BIN/crictl" --version
  stamp_set crictl "$SIGNATURE"
}
step_main "$@"
