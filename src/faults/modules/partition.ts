import { z } from 'zod';
import { defineFault } from '../fault-module.js';
import { directionSchema, networkDurationSchema, peersSchema, portsSchema } from '../network-params.js';
import { removeContainerNetworkFaultUndo, removePodNetworkFaultUndo } from '../network-undo-records.js';
import { selectionShape } from '../selection.js';

export const partition = defineFault({
  name: 'partition',
  summary: "Cuts the instance's traffic (drop or reject) for `duration`, optionally only with given peers or on given ports; loopback is never cut.",
  actsOn: 'instances',
  drivenBy: 'target',
  params: z.strictObject({
    ...selectionShape,
    direction: directionSchema.default('both').describe('ingress: nothing reaches the instance; egress: nothing leaves it; both.'),
    action: z.enum(['drop', 'reject']).default('drop').describe('drop: packets vanish (clients time out); reject: TCP reset / ICMP unreachable (clients fail at once).'),
    peers: peersSchema.optional().describe('Only the traffic with these peers (default: everyone).'),
    ports: portsSchema.describe("Only these ports of the instance (TCP and UDP; default: every port)."),
    duration: networkDurationSchema,
  }),
  docker: {
    does: "iptables chain REBOUND-<id> in the container's network namespace (a helper container), jumped to from INPUT / OUTPUT: DROP or REJECT; Docker's own health check (run inside the container, over loopback) still passes",
    rollback: 'the helper removes the chain at `duration` by itself',
    undo: removeContainerNetworkFaultUndo,
  },
  kubernetes: {
    does: "the same chain in the pod's network namespace, from a transient unit in its kind node: the kubelet's readiness probe is cut too, so the pod leaves its Service; needs node access",
    rollback: 'the unit removes it at `duration` by itself',
    undo: removePodNetworkFaultUndo,
  },
  durationOf: (params) => params.duration,
});
