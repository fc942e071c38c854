import { z } from 'zod';
import { defineFault } from '../fault-module.js';
import { networkDurationSchema } from '../network-params.js';
import { healNodeUndo } from '../network-undo-records.js';

export const partitionNode = defineFault({
  name: 'partition-node',
  summary: 'Cuts a node off from the control plane for `duration` (its kubelet cannot reach the API server) while its pods keep running; ends by itself.',
  actsOn: 'hosts',
  drivenBy: 'target',
  params: z.strictObject({
    node: z.string().optional().describe('Node name; default: the worker holding the most selected pods.'),
    action: z.enum(['drop', 'reject']).default('drop').describe('drop: the API server and the kubelet time out on each other; reject: connections are refused at once.'),
    duration: networkDurationSchema,
  }),
  docker: {
    unsupported: 'a Docker host is one machine with no control plane to cut it off from; use partition on its containers',
  },
  kubernetes: {
    does: "iptables chain REBOUND-<id> in the kind node's own network namespace (a transient unit): node → API server and API server → kubelet (10250) cut; pod traffic untouched. NotReady after the node-monitor grace period, pods evicted after their tolerationSeconds",
    rollback: 'the unit removes the chain at `duration` by itself; the undo waits until the node is Ready again',
    undo: healNodeUndo,
  },
  durationOf: (params) => params.duration,
});
