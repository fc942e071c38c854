#!/usr/bin/env bash
# The kind node's operating system, the way kind's images/base/Dockerfile makes it, from Debian
# packages only: systemd as init, the tools kubelet and kubeadm call, and, instead of the containerd,
# runc, crictl and CNI plugins kind downloads from GitHub, Debian's containerd 1.6, runc 1.1 and
# containernetworking-plugins (crictl is built by build-crictl.sh and added in node-image.sh).
# Left out of kind's list: fuse-overlayfs (rootless only), nfs-common and open-iscsi (network storage).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$KIND_SCRIPTS/debian-lib.sh"

IMAGE=rebound/kind-node-base:$DEBIAN_SUITE
PACKAGES=(
  systemd
  conntrack iptables nftables iproute2 ethtool util-linux mount kmod
  libseccomp2 pigz e2fsprogs bash ca-certificates curl jq procps
  containerd runc containernetworking-plugins
)
SIGNATURE=$(signature "${PACKAGES[*]}" "$KIND_STAMPS/debian-rootfs" "$0" "$KIND_SCRIPTS/debian-lib.sh")
ROOTFS=$KIND_WORK/rootfs-node-base

is_current() { image_is "$IMAGE" "$SIGNATURE"; }

build() {
  derive_rootfs "$ROOTFS"
  rootfs_apt_install "$ROOTFS" "${PACKAGES[@]}"
  # The same trimming as kind's base image: no units that make no sense in a container (udev,
  # getty, …); systemd is PID 1 (kind runs /sbin/init); no kernel log in journald.
  find "$ROOTFS/lib/systemd/system/sysinit.target.wants/" -name systemd-tmpfiles-setup.service -delete
  rm -f "$ROOTFS"/lib/systemd/system/multi-user.target.wants/* "$ROOTFS"/etc/systemd/system/*.wants/* \
    "$ROOTFS"/lib/systemd/system/local-fs.target.wants/* "$ROOTFS"/lib/systemd/system/sockets.target.wants/*udev* \
    "$ROOTFS"/lib/systemd/system/sockets.target.wants/*initctl* "$ROOTFS"/lib/systemd/system/basic.target.wants/*
  echo "ReadKMsg=no" >> "$ROOTFS/etc/systemd/journald.conf"
  ln -sf /usr/lib/systemd/systemd "$ROOTFS/sbin/init"
  rm -rf "$ROOTFS"/var/log/* "$ROOTFS"/var/cache/debconf/*
  import_rootfs "$ROOTFS" "$IMAGE" "$SIGNATURE"
}

step_main "$@"
