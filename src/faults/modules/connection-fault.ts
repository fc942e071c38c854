import { z } from 'zod';
import { durationSchema } from '../../common/schema-primitives.js';
import { defineFault } from '../fault-module.js';
import { networkDurationSchema, percentSchema, portsSchema } from '../network-params.js';
import { removeContainerNetworkFaultUndo, removePodNetworkFaultUndo } from '../network-undo-records.js';
import { selectionShape } from '../selection.js';

export const connectionFault = defineFault({
  name: 'connection-fault',
  summary: 'Breaks `share` % of new connections to the instance for `duration` through a proxy in its namespace: reset, timeout (accepted, never answered) or slow-close.',
  actsOn: 'instances',
  drivenBy: 'target',
  params: z.strictObject({
    ...selectionShape,
    mode: z.enum(['reset', 'timeout', 'slow-close']).describe('reset: the connection is reset when the request arrives; timeout: accepted, never answered; slow-close: answered, the close is held back by `delay`.'),
    share: percentSchema.prefault('100%').describe('Share of new connections affected, decided per connection: 50 or "50%" (default 100).'),
    after: durationSchema.prefault(0).describe('reset: this long after the request arrives (default at once); timeout: close the connection after this long (default never).'),
    delay: durationSchema.prefault(5).describe('slow-close: how long the close is held back (default 5s).'),
    ports: portsSchema.describe("The instance's ports (default: the ports it declares, EXPOSE / containerPort)."),
    duration: networkDurationSchema,
  }),
  docker: {
    does: "Toxiproxy in the container's network namespace (a helper container) behind an iptables `REDIRECT --syn` of `ports`: reset_peer, timeout or slow_close toxic on `share` % of new connections",
    rollback: 'the helper ends it at `duration` by itself (redirect off, in-flight connections finish, proxy stopped)',
    undo: removeContainerNetworkFaultUndo,
  },
  kubernetes: {
    does: "the same inside the pod's network namespace, from a transient unit in its kind node (the kubelet's probes go through it too); needs node access",
    rollback: 'the unit ends it at `duration` by itself',
    undo: removePodNetworkFaultUndo,
  },
  durationOf: (params) => params.duration,
});
