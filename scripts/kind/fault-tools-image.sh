#!/usr/bin/env bash
# rebound/fault-tools: the helper image under the network and resource faults, on Docker (a helper
# container in the target's network namespace / cgroup) and in the kind nodes (loaded by
# kind-cluster.sh up). A Debian base, because stress-ng and iptables are Debian's, plus Toxiproxy's
# static binaries (build-toxiproxy.sh) and rebound's driver, fault-tools/rebound-fault.
#   iptables   loss and partitions (both backends: iptables-nft, Debian's default and what the kind
#              nodes and Docker here use, and iptables-legacy, to see rules another tool left there)
#   nftables   nft, to see every rule in a namespace, also those no iptables front end shows
#   iproute2   tc (tbf, ingress + ifb + mirred), ip and ss
#   conntrack  to list and delete tracked flows
#   stress-ng  CPU and memory pressure; procps: ps, pgrep
#   netcat-openbsd  a byte source and sink, to check a shaped rate from inside a namespace
#   toxiproxy-server, toxiproxy-cli   delay, bandwidth and connection faults
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$KIND_SCRIPTS/debian-lib.sh"

IMAGE=rebound/fault-tools:$FAULT_TOOLS_TAG
PACKAGES=(iptables nftables iproute2 conntrack stress-ng procps netcat-openbsd)
TOXIPROXY=$KIND_WORK/toxiproxy-$TOXIPROXY_VERSION
DRIVER=$KIND_SCRIPTS/fault-tools/rebound-fault
SIGNATURE=$(signature "${PACKAGES[*]}" "$KIND_STAMPS/debian-rootfs" "$KIND_STAMPS/toxiproxy" "$0" "$KIND_SCRIPTS/debian-lib.sh" "$DRIVER")
ROOTFS=$KIND_WORK/rootfs-fault-tools

is_current() { image_is "$IMAGE" "$SIGNATURE"; }

build() {
  [ -x "$TOXIPROXY/toxiproxy-server" ] || die "Toxiproxy is not built: run scripts/kind/build-toxiproxy.sh first"
  derive_rootfs "$ROOTFS"
  rootfs_apt_install "$ROOTFS" "${PACKAGES[@]}"
  install -m 0755 "$TOXIPROXY/toxiproxy-server" "$TOXIPROXY/toxiproxy-cli" "$DRIVER" "$ROOTFS/usr/local/bin/"
  rm -rf "$ROOTFS"/var/log/* "$ROOTFS"/var/cache/debconf/*
  import_rootfs "$ROOTFS" "$IMAGE" "$SIGNATURE" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "LABEL dev.rebound.toxiproxy=$TOXIPROXY_VERSION"
  docker run --rm "$IMAGE" sh -c 'iptables --version && tc -V && stress-ng --version && toxiproxy-server -version && rebound-fault 2>&1 | head -1; true'
}

step_main "$@"
