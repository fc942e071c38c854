# shellcheck shell=bash
# Helpers to turn the debootstrap'd rootfs (debian-rootfs.sh) into Docker images without any
# registry: copy it, apt-get install into the copy through chroot, `docker import` the tree.
# Sourced by the *-image.sh steps, after lib.sh.

# The Debian mirror apt already uses on this machine (deb822 or one-line format).
debian_mirror() {
  local uri
  uri=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$uri" ] || uri=$(awk '$1 == "deb" && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

# derive_rootfs DIR: a fresh copy of the base rootfs at DIR.
derive_rootfs() {
  local dir=$1
  # An interrupted rootfs_apt_install can leave its /proc mount behind: it is ours to undo.
  if mountpoint -q "$dir/proc" 2>/dev/null; then umount -l "$dir/proc"; fi
  remove_tree "$dir"
  cp -a "$KIND_WORK/rootfs-base" "$dir"
}

# rootfs_apt_install DIR PACKAGE…: apt-get install into the tree at DIR, with the host's apt sources
# (bookworm, -updates and -security), then strip apt's caches and documentation.
rootfs_apt_install() {
  local dir=$1; shift
  cp /etc/apt/sources.list.d/*.sources "$dir/etc/apt/sources.list.d/" 2>/dev/null || cp /etc/apt/sources.list "$dir/etc/apt/"
  if ls "$dir"/etc/apt/sources.list.d/*.sources >/dev/null 2>&1; then rm -f "$dir/etc/apt/sources.list"; fi
  cp /etc/resolv.conf "$dir/etc/resolv.conf"
  # Maintainer scripts must not start services inside the chroot (policy-rc.d exit 101 = "not allowed").
  printf '#!/bin/sh\nexit 101\n' > "$dir/usr/sbin/policy-rc.d"; chmod +x "$dir/usr/sbin/policy-rc.d"
  # Package scripts need /proc: mount it for the duration only, and always unmount (remove_tree
  # refuses to delete a tree with mounts inside). /dev needs no bind mount: debootstrap made the
  # device nodes (null, zero, random, …) in the tree.
  mount -t proc proc "$dir/proc"
  local rc=0
  {
    chroot "$dir" apt-get update -q &&
    chroot "$dir" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
  } || rc=$?
  umount "$dir/proc" || umount -l "$dir/proc"
  [ "$rc" = 0 ] || return "$rc"
  chroot "$dir" apt-get clean
  rm -rf "$dir"/var/lib/apt/lists/* "$dir/usr/sbin/policy-rc.d" "$dir"/usr/share/doc/* "$dir"/usr/share/man/* "$dir"/usr/share/locale/*
  : > "$dir/etc/resolv.conf"   # Docker and kind write their own
}

# import_rootfs DIR IMAGE SIGNATURE [--change …]: the tree as a one-layer image, labelled with its
# signature; the tree is deleted afterwards (the image is the product).
import_rootfs() {
  local dir=$1 image=$2 signature=$3; shift 3
  tar -C "$dir" -c . | docker import --change "LABEL $SIGNATURE_LABEL=$signature" "$@" - "$image"
  remove_tree "$dir"
  docker image ls "$image"
}
