import { z } from 'zod';
import { defineFault } from '../fault-module.js';
import { directionSchema, networkDurationSchema, percentSchema, portsSchema } from '../network-params.js';
import { removeContainerNetworkFaultUndo, removePodNetworkFaultUndo } from '../network-undo-records.js';
import { selectionShape } from '../selection.js';

export const networkLoss = defineFault({
  name: 'network-loss',
  summary: "Drops `loss` % the instance's packets at random for `duration` (iptables statistic); TCP retransmits them, so requests come late or time out.",
  actsOn: 'instances',
  drivenBy: 'target',
  params: z.strictObject({
    ...selectionShape,
    loss: percentSchema.describe('Share of packets dropped: 30 or "30%".'),
    direction: directionSchema.default('both').describe('ingress: packets the instance receives; egress: packets it sends; both.'),
    ports: portsSchema.describe("Only the traffic of these ports of the instance (default: all but loopback)."),
    duration: networkDurationSchema,
  }),
  docker: {
    does: "iptables chain REBOUND-<id> in the container's network namespace (a helper container): `-m statistic --mode random --probability p -j DROP`",
    rollback: 'the helper removes the chain at `duration` by itself',
    undo: removeContainerNetworkFaultUndo,
  },
  kubernetes: {
    does: "the same chain in the pod's network namespace, from a transient unit in its kind node; needs node access",
    rollback: 'the unit removes it at `duration` by itself',
    undo: removePodNetworkFaultUndo,
  },
  durationOf: (params) => params.duration,
});
