#!/usr/bin/env bash
# Builds the helper image the network and resource faults run, rebound/fault-tools (Debian's
# iptables, iproute2, stress-ng, … plus Toxiproxy built from the Go module proxy), with the same
# cached steps as the kind cluster (scripts/kind/: debian-rootfs, toxiproxy, fault-tools-image),
# so a Docker-only machine gets it without a cluster. Idempotent: cached steps take a second.
# scripts/kind-cluster.sh up runs the same steps and loads the image into the kind nodes.
set -euo pipefail
source "$(dirname "$0")/kind/lib.sh"

now_ms() { date +%s%3N; }
step() {
  local name=$1 script=$KIND_SCRIPTS/$2 log=$KIND_LOGS/$1.log
  if bash "$script" --check 2>/dev/null; then say "  ✓ $name (cached)"; return 0; fi
  say "  … $name (log: $log)"
  local start rc=0; start=$(now_ms)
  bash "$script" > "$log" 2>&1 || rc=$?
  if [ "$rc" != 0 ]; then
    tail -n 25 "$log" | sed 's/^/    /' >&2
    die "helper images: step \"$name\" failed (exit $rc); full log: $log"
  fi
  say "  ✓ $name ($(awk -v a="$start" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }') s)"
}

say "helper images (cache: $KIND_CACHE)"
apt_install debootstrap
command -v go >/dev/null || die "Go is needed to build Toxiproxy from the Go module proxy: install it in /usr/local/go"
step debian-rootfs debian-rootfs.sh
step toxiproxy build-toxiproxy.sh
step fault-tools-image fault-tools-image.sh
