import { z } from 'zod';
import { defineFault } from '../fault-module.js';
import { networkDurationSchema, percentSchema } from '../network-params.js';
import { removeContainerNetworkFaultUndo, removePodNetworkFaultUndo } from '../network-undo-records.js';
import { selectionShape } from '../selection.js';

// Packet-level duplication exists only in tc netem: no proxy or iptables rule can do it. On a kernel
// without sch_netem (like this project's machines) the fault refuses (exit 3) and touches nothing.
export const networkDuplicate = defineFault({
  name: 'network-duplicate',
  summary: 'Duplicates `duplicate` % of the packets the instance sends for `duration` (tc netem: needs sch_netem in the kernel, else refused with exit 3).',
  actsOn: 'instances',
  drivenBy: 'target',
  params: z.strictObject({
    ...selectionShape,
    duplicate: percentSchema.describe('Share of packets sent twice: 1 or "1%".'),
    mechanism: z.enum(['netem']).default('netem').describe('netem only: tc netem as the root qdisc (handle 7262:) of the interface.'),
    duration: networkDurationSchema,
  }),
  docker: {
    does: "tc netem `duplicate p%` as the root qdisc of the container's interface (a helper container); refused (exit 3) when the kernel has no sch_netem",
    rollback: 'the helper deletes its handle at `duration` by itself',
    undo: removeContainerNetworkFaultUndo,
  },
  kubernetes: {
    does: "the same on the pod's interface, from a transient unit in its kind node; refused (exit 3) without sch_netem",
    rollback: 'the unit removes it at `duration` by itself',
    undo: removePodNetworkFaultUndo,
  },
  durationOf: (params) => params.duration,
});
