import { UsageError } from '../../../common/errors.js';
import type { FaultName } from '../../../faults/catalog.js';
import { crashContainers } from './crash-containers.js';
import { drainNode } from './drain-node.js';
import { failNode } from './fail-node.js';
import type { InjectFault } from './fault-context.js';
import { killPods } from './kill-pods.js';
import { scaleOwner } from './scale-owner.js';

export type { FaultContext } from './fault-context.js';
export { undoRecord } from './undo-record.js';

const unsupported = (name: string, reason: string): InjectFault => async () => {
  throw new UsageError(`fault ${name} is not supported on Kubernetes: ${reason}`);
};

/** stop = pod delete with the fault's timeout as grace period (SIGTERM, then SIGKILL). */
const stopPods: InjectFault = (fault, context) => killPods({ ...fault, params: { ...fault.params, gracePeriod: fault.params.timeout } }, context);

/** What each fault of the catalog does on Kubernetes (src/faults/catalog.ts says the same). */
export const kubernetesFaults = {
  kill: killPods,
  remove: (fault, context) => killPods({ ...fault, params: { ...fault.params, gracePeriod: 0 } }, context),
  stop: stopPods,
  crash: crashContainers,
  'drain-node': drainNode,
  'fail-node': failNode,
  scale: scaleOwner,
  pause: unsupported('pause', 'Kubernetes has no pause; use fail-node with mode: pause on kind'),
  restart: unsupported('restart', 'a pod is not restarted in place; use kill or crash'),
  'spike-load': unsupported('spike-load', 'the runner drives spike-load with the shared load generator, not the target'),
} satisfies Record<FaultName, InjectFault>;
