// How `crash` (and later the network faults) reach a Kubernetes pod's processes: through the node
// (kind: `docker exec` into the node container), through an ephemeral container that shares the
// target container's PID namespace (any cluster that allows one), or the first that works.
export const INSTANCE_FAULT_ROUTES = ['auto', 'node', 'ephemeral'] as const;

export type InstanceFaultRoute = (typeof INSTANCE_FAULT_ROUTES)[number];
