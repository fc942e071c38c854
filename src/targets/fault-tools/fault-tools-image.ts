// The helper image under the network and resource faults (scripts/kind/fault-tools-image.sh builds
// it from Debian packages and Toxiproxy; kind-cluster.sh up loads it into the kind nodes). The tag
// is the driver's interface version: scripts/kind/versions.sh names the same (a unit test compares).
export const FAULT_TOOLS_TAG = 'v1';
export const FAULT_TOOLS_IMAGE = `rebound/fault-tools:${FAULT_TOOLS_TAG}`;

/** The label on every helper rebound starts (Docker container, kind unit description): its value is the helper's id. */
export const HELPER_LABEL = 'rebound.dev/helper';
/** The label naming the container a Docker helper works on. */
export const HELPER_TARGET_LABEL = 'rebound.dev/helper-target';

/**
 * tc handle major reserved for rebound's qdiscs: 0x7262 is "rb" in ASCII. A qdisc with this handle
 * is rebound's; any other non-default root qdisc is someone else's and makes a fault refuse.
 */
export const REBOUND_QDISC_HANDLE = '7262:';
/** The ifb device rebound creates for ingress shaping, one per network namespace. */
export const REBOUND_IFB = 'rebound-ifb';
/** Prefix of every iptables chain rebound creates; the rest is the helper id. */
export const REBOUND_CHAIN_PREFIX = 'REBOUND-';
