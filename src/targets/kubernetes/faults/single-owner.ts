import { UsageError } from '../../../common/errors.js';
import { listSystemPods } from '../discover-system.js';
import { kubeCall } from '../kube-errors.js';
import { type Owner, ownerKey, resolveOwners } from '../owners.js';
import type { KubernetesFaultContext } from './fault-context.js';

/** The one owner behind the selected pods (system.owner when given); a fault on the whole system (scale, rollout) refuses to guess between several. */
export async function singleOwner(context: KubernetesFaultContext, fault: string): Promise<Owner> {
  const { api, namespace } = context;
  if (context.selector.owner) return context.selector.owner;
  const { pods } = await listSystemPods(api, context.selector, namespace);
  const owners = await kubeCall('resolving pod owners', api.server, () => resolveOwners(api, namespace, pods));
  if (owners.length !== 1) {
    throw new UsageError(`${fault} needs exactly one Deployment or StatefulSet behind the selected pods, found ${owners.length === 0 ? 'none' : owners.map(ownerKey).join(', ')}`, {
      hint: 'name it in system.owner: { kind: Deployment, name: ... }',
    });
  }
  return owners[0]!;
}
