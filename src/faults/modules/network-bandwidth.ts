import { z } from 'zod';
import { defineFault } from '../fault-module.js';
import { networkDurationSchema, tcRateSchema, tcSizeSchema } from '../network-params.js';
import { removeContainerNetworkFaultUndo, removePodNetworkFaultUndo } from '../network-undo-records.js';
import { selectionShape } from '../selection.js';

export const networkBandwidth = defineFault({
  name: 'network-bandwidth',
  summary: "Limits the instance's interface to `rate` for `duration` (tc tbf; ingress through an ifb device).",
  actsOn: 'instances',
  drivenBy: 'target',
  params: z.strictObject({
    ...selectionShape,
    rate: tcRateSchema.describe('e.g. "1mbit" (tc units: bit, kbit, mbit, gbit per second; bps, kbps, mbps in bytes).'),
    burst: tcSizeSchema.optional().describe('Token bucket size, e.g. "32kbit" (default: 10 ms at `rate`, at least 32kbit).'),
    direction: z.enum(['ingress', 'egress', 'both']).default('egress').describe('egress: what the instance sends; ingress: what it receives (shaped on an ifb device); both. The whole interface, every port.'),
    duration: networkDurationSchema,
  }),
  docker: {
    does: "tc tbf as the root qdisc (handle 7262:) of the container's interface; ingress: ifb + mirred + tbf (a helper container); refuses a foreign root qdisc",
    rollback: 'the helper deletes only its own handle at `duration` by itself',
    undo: removeContainerNetworkFaultUndo,
  },
  kubernetes: {
    does: "the same on the pod's interface, from a transient unit in its kind node; needs node access",
    rollback: 'the unit removes it at `duration` by itself',
    undo: removePodNetworkFaultUndo,
  },
  durationOf: (params) => params.duration,
});
