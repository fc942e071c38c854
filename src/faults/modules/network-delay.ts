import { z } from 'zod';
import { durationSchema } from '../../common/schema-primitives.js';
import { defineFault } from '../fault-module.js';
import { directionSchema, networkDurationSchema, portsSchema } from '../network-params.js';
import { removeContainerNetworkFaultUndo, removePodNetworkFaultUndo } from '../network-undo-records.js';
import { selectionShape } from '../selection.js';

export const networkDelay = defineFault({
  name: 'network-delay',
  summary: 'Delays the traffic of the instance\'s ports by `delay` (± `jitter`) for `duration`, through a proxy in its network namespace; ends by itself.',
  actsOn: 'instances',
  drivenBy: 'target',
  params: z.strictObject({
    ...selectionShape,
    delay: durationSchema.refine((ms) => ms > 0 && ms <= 60_000, { message: 'expected a delay between 1ms and 60s' }).describe('Added latency, e.g. "100ms".'),
    jitter: durationSchema.prefault(0).describe('Random variation of the delay, ± this much (default 0).'),
    direction: directionSchema.default('egress').describe('egress: what the instance sends (its answers) is delayed; ingress: what it receives; both: each way.'),
    ports: portsSchema.describe("The instance's ports whose connections are delayed (default: the ports it declares, EXPOSE / containerPort)."),
    mechanism: z.enum(['proxy', 'netem']).default('proxy').describe('proxy: Toxiproxy behind an iptables REDIRECT (works on every kernel, new connections only); netem: tc netem on the interface (every packet, needs sch_netem in the kernel).'),
    duration: networkDurationSchema,
  }),
  docker: {
    does: "Toxiproxy in the container's network namespace (a helper container), new connections to `ports` redirected to it (iptables `REDIRECT --syn`): latency toxic; connections open before stay undelayed",
    rollback: 'the helper ends it at `duration` by itself (kill -9 of rebound included): redirect off, in-flight requests finish, proxy stopped',
    undo: removeContainerNetworkFaultUndo,
  },
  kubernetes: {
    does: "the same inside the pod's network namespace, from a transient systemd unit in its kind node (`nsenter`); needs node access",
    rollback: 'the unit ends it at `duration` by itself; rebound stops it earlier',
    undo: removePodNetworkFaultUndo,
  },
  durationOf: (params) => params.duration,
});
