#!/usr/bin/env bash
# A small Debian base with iptables, conntrack and iproute2, for the two images that program the
# node's network from a pod: kube-proxy (iptables, conntrack) and cni-lite (ip route, iptables).
# The upstream kube-proxy image is distroless-iptables from a registry; this is its offline stand-in.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$KIND_SCRIPTS/debian-lib.sh"

IMAGE=rebound/kind-net-tools:$DEBIAN_SUITE
PACKAGES=(iptables conntrack iproute2 kmod)
SIGNATURE=$(signature "${PACKAGES[*]}" "$KIND_STAMPS/debian-rootfs" "$0" "$KIND_SCRIPTS/debian-lib.sh")
ROOTFS=$KIND_WORK/rootfs-net-tools

is_current() { image_is "$IMAGE" "$SIGNATURE"; }

build() {
  derive_rootfs "$ROOTFS"
  rootfs_apt_install "$ROOTFS" "${PACKAGES[@]}"
  rm -rf "$ROOTFS"/var/log/* "$ROOTFS"/var/cache/debconf/*
  import_rootfs "$ROOTFS" "$IMAGE" "$SIGNATURE" --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
}

step_main "$@"
