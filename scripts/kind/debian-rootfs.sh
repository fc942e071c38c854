#!/usr/bin/env bash
# A minimal Debian root filesystem (debootstrap --variant=minbase, ~200 MB, 45-85 s), from the apt
# mirror this machine already uses. Every Debian-based image here starts from a copy of it: the kind
# node base, and the small base of kube-proxy and cni-lite. No registry needed, only apt.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$KIND_SCRIPTS/debian-lib.sh"

SIGNATURE=$(signature "$DEBIAN_SUITE" "$0")
ROOTFS=$KIND_WORK/rootfs-base

is_current() { stamp_is debian-rootfs "$SIGNATURE" && [ -x "$ROOTFS/usr/bin/apt-get" ]; }

build() {
  apt_install debootstrap
  remove_tree "$ROOTFS"
  local mirror; mirror=$(debian_mirror)
  echo "debootstrap $DEBIAN_SUITE from $mirror"
  $NICE debootstrap --variant=minbase "$DEBIAN_SUITE" "$ROOTFS" "$mirror"
  stamp_set debian-rootfs "$SIGNATURE"
}

step_main "$@"
