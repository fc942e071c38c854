import { EnvironmentError } from '../../../common/errors.js';
import { FAULT_TOOLS_IMAGE, shellQuote } from '../../fault-tools/index.js';
import type { KindNode } from './kind-nodes.js';

// Not under /run: kind nodes mount /run noexec (seen: "stress-ng: Permission denied" from a wrapper
// there). The image's own mount under /run is a separate mount, without noexec.
export const NODE_TOOLS_BIN = '/var/lib/rebound/bin';
export const MISSING_IMAGE_EXIT = 3;

/**
 * bash, run in a node, that sets `root` to the image's files there: mount the fault-tools image (loaded into the node's containerd by
 * kind-cluster.sh up or `kind load docker-image`) read-only under /run/rebound/fault-tools-<image
 * id>, once, with `ctr images mount` (a one-layer image: a bind mount of the layer), and write
 * wrappers so its stress-ng and Toxiproxy run from the node like local tools. stress-ng is
 * Debian-built and dynamically linked: its wrapper starts it through the image's own dynamic loader
 * and libraries, so it runs in the node's filesystem (writable /tmp, /proc) without a chroot and
 * without a container: a plain process of the unit, which systemd stops with it.
 * The kind node image has iptables (nft), tc, ip, ss, nsenter, systemd-run and conntrack itself.
 * Sourced at the start of every helper's one `docker exec`, so a node that was restarted (its /run
 * is a fresh tmpfs) gets its mount back without a separate round trip.
 */
export function nodeToolsScript(image: string = FAULT_TOOLS_IMAGE): string {
  const ref = image.includes('/') && !image.split('/')[0]!.includes('.') ? `docker.io/${image}` : image;
  return `ref=${shellQuote(ref)}
id=$(crictl inspecti -o go-template --template '{{.status.id}}' "$ref" 2>/dev/null | sed 's/^sha256://' | cut -c1-12) || true
if [ -z "$id" ]; then echo "image $ref is not in this node's containerd" >&2; exit ${MISSING_IMAGE_EXIT}; fi
root=/run/rebound/fault-tools-$id
if [ ! -x "$root/usr/local/bin/rebound-fault" ]; then
  mkdir -p "$root"
  ctr -n k8s.io images mount --rw=false "$ref" "$root" >/dev/null || { echo "ctr images mount $ref failed" >&2; exit 1; }
fi
bin=${NODE_TOOLS_BIN}
if [ "$(cat "$bin/.root" 2>/dev/null)" != "$root" ]; then
  mkdir -p "$bin"
  lib="$root/lib/x86_64-linux-gnu:$root/usr/lib/x86_64-linux-gnu"
  printf '#!/bin/sh\\nexec %s --library-path %s %s "$@"\\n' "$root/lib64/ld-linux-x86-64.so.2" "$lib" "$root/usr/bin/stress-ng" > "$bin/stress-ng"
  for tool in toxiproxy-server toxiproxy-cli; do printf '#!/bin/sh\\nexec %s "$@"\\n' "$root/usr/local/bin/$tool" > "$bin/$tool"; done
  chmod +x "$bin/stress-ng" "$bin/toxiproxy-server" "$bin/toxiproxy-cli"
  echo "$root" > "$bin/.root"
fi`;
}

/** The error for a node without the image (nodeToolsScript exited MISSING_IMAGE_EXIT). */
export function missingToolsImage(node: KindNode, image: string = FAULT_TOOLS_IMAGE): EnvironmentError {
  return new EnvironmentError(`the helper image ${image} is not loaded into kind node ${node.name}`, {
    hint: `kind load docker-image ${image} --name ${node.cluster} (bash scripts/kind-cluster.sh up does it for rebound's cluster)`,
  });
}
