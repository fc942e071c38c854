#!/usr/bin/env bash
# Builds Toxiproxy's server and CLI as static binaries for the fault-tools image: the TCP proxy that
# the delay, bandwidth and connection faults put in front of an instance's port. Both commands are
# `go install`able (the module has no replace directives); the binaries come out named after their
# folders (server, cli) and are renamed. The version is set with the same -X flag as upstream's Makefile.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
SIGNATURE=$(signature "$TOXIPROXY_VERSION" "$0")
OUT=$KIND_WORK/toxiproxy-$TOXIPROXY_VERSION
is_current() { stamp_is toxiproxy "$SIGNATURE" && [ -x "$OUT/toxiproxy-server" ] && [ -x "$OUT/toxiproxy-cli" ]; }
build() {
  local gobin=$KIND_WORK/toxiproxy-gobin
  rm -rf "$gobin" "$OUT"; mkdir -p "$gobin" "$OUT"
  CGO_ENABLED=0 GOBIN=$gobin $NICE go install -trimpath \
    -ldflags "-s -w -X github.com/Shopify/toxiproxy/v2.Version=${TOXIPROXY_VERSION#v}" \
    "github.com/Shopify/toxiproxy/v2/cmd/server@$TOXIPROXY_VERSION" \
    "github.com/Shopify/toxiproxy/v2/cmd/cli@$TOXIPROXY_VERSION"
  mv "$gobin/server" "$OUT/toxiproxy-server"
  mv "$gobin/cli" "$OUT/toxiproxy-cli"
  rm -rf "$gobin"
  "$OUT/toxiproxy-server" -version
  stamp_set toxiproxy "$SIGNATURE"
}
step_main "$@"
