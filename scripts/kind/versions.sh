# shellcheck shell=bash disable=SC2034  # (variables used by the scripts that source this file)
# The versions the offline kind cluster is built from. Sourced by scripts/kind/lib.sh.
# They were chosen together (see /work/shared/notes/offline-kind.md and scripts/kind/README.md):
# - Kubernetes 1.34: kubelet >= 1.35 refuses cgroup v1 by default, and CI hosts here are cgroup v1.
#   v1.34.4 is the newest 1.34 patch in the Go module proxy (`go list -m -versions k8s.io/kubernetes`).
# - etcd, CoreDNS and pause are the versions kubeadm 1.34 asks for
#   (`kubeadm config images list --kubernetes-version v1.34.4`; component-images.sh checks it).
# - pause is also tagged 3.10: kind's containerd config names registry.k8s.io/pause:3.10 as sandbox_image.
# - crictl: `kind load` calls `crictl inspecti` in the nodes; Debian 12 does not package cri-tools.
KUBERNETES_VERSION=v1.34.4
KIND_VERSION=v0.33.0
ETCD_VERSION=v3.6.5
COREDNS_VERSION=v1.12.1
PAUSE_VERSION=3.10.1
CRICTL_VERSION=v1.34.0
DEBIAN_SUITE=bookworm

# The staging modules (k8s.io/api, k8s.io/client-go, …) are published as v0.<minor>.<patch>.
KUBERNETES_STAGING_VERSION=v0${KUBERNETES_VERSION#v1}
# The fault helpers (scripts/kind/fault-tools-image.sh): Toxiproxy, the TCP proxy behind the delay
# and connection faults (github.com/Shopify/toxiproxy/v2, served by the Go module proxy), and the
# tag of rebound's fault-tools image. Bump FAULT_TOOLS_TAG when the driver's command line changes:
# src/targets/fault-tools-image.ts names the same tag (a unit test compares them).
TOXIPROXY_VERSION=v2.5.0
FAULT_TOOLS_TAG=v1
# metrics-server: the metrics.k8s.io API for the HorizontalPodAutoscaler (build-metrics-server.sh).
# v0.8.0 is built against client-go 0.33 and supports Kubernetes >= 1.31 (its README's matrix).
METRICS_SERVER_VERSION=v0.8.0
METRICS_SERVER_IMAGE=rebound/metrics-server:$METRICS_SERVER_VERSION
