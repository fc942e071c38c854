#!/usr/bin/env bash
# Builds metrics-server (the metrics.k8s.io API the HorizontalPodAutoscaler reads) from the Go
# module proxy into a FROM scratch image, rebound/metrics-server:<version>. kind-cluster.sh loads it
# into the nodes and applies metrics-server.yaml.
# Why a build module: `go install …@version` refuses a module whose go.mod has replace or exclude
# directives, and builds without the version ldflags; a module of our own that requires it as a
# tool (`go get -tool`, Go >= 1.24) builds it exactly at the versions its go.mod asks for.
# The version ldflags are upstream's (its Makefile: PKG=k8s.io/client-go/pkg): without them the
# binary says v0.0.0-master.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

MODULE=$KIND_WORK/metrics-server-build
SIGNATURE=$(signature "$METRICS_SERVER_VERSION" "$0")

is_current() { image_is "$METRICS_SERVER_IMAGE" "$SIGNATURE"; }

build() {
  rm -rf "$MODULE"; mkdir -p "$MODULE/out" && cd "$MODULE"
  go mod init rebound.local/metrics-server-build
  $NICE go get -tool "sigs.k8s.io/metrics-server/cmd/metrics-server@$METRICS_SERVER_VERSION"
  local pkg=k8s.io/client-go/pkg/version
  CGO_ENABLED=0 $NICE go build -trimpath -o out/ \
    -ldflags "-s -w -X $pkg.gitVersion=$METRICS_SERVER_VERSION -X $pkg.gitCommit=rebound-offline-build -X $pkg.buildDate=1970-01-01T00:00:00Z" \
    sigs.k8s.io/metrics-server/cmd/metrics-server
  out/metrics-server --version
  # Upstream's image is distroless/static running as 1000: metrics-server only talks to the API
  # server (its CA comes with the ServiceAccount token) and to kubelets (--kubelet-insecure-tls),
  # so no CA bundle or passwd file is needed; certificates go to an emptyDir (--cert-dir=/tmp).
  cat > out/Dockerfile <<EOF
FROM scratch
COPY metrics-server /metrics-server
USER 1000:1000
ENTRYPOINT ["/metrics-server"]
LABEL $SIGNATURE_LABEL=$SIGNATURE
EOF
  docker build -q -t "$METRICS_SERVER_IMAGE" out
  rm -rf "$MODULE/out"   # the image is the product; the module (go.mod, go.sum) stays for reading
  docker image ls "$METRICS_SERVER_IMAGE"
}

step_main "$@"
