import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { KubeApi } from '../kube-api.js';
import { kubeCall } from '../kube-errors.js';

/** Sets spec.unschedulable (cordon: true, uncordon: false), as `kubectl cordon` does. */
export async function setUnschedulable(api: KubeApi, node: string, unschedulable: boolean): Promise<void> {
  await kubeCall(`${unschedulable ? 'cordoning' : 'uncordoning'} node ${node}`, api.server, () =>
    api.core.patchNode({ name: node, body: { spec: { unschedulable } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch)),
  );
}
