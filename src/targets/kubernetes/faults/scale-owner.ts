import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { errorMessage } from '../../../common/errors.js';
import type { RollbackOutcome } from '../../target.js';
import type { KubeApi } from '../kube-api.js';
import { kubeCall } from '../kube-errors.js';
import { type Owner, ownerKey } from '../owners.js';
import type { KubernetesFault } from './fault-context.js';
import { singleOwner } from './single-owner.js';

/** Written on the owner when rebound scales it: the count to go back to, for rollback and recover. */
export const REPLICAS_BEFORE_ANNOTATION = 'rebound.dev/replicas-before';

/**
 * scale = patch the owner's spec.replicas; undo restores the previous count. The count to go back to
 * is journalled before the patch and also written on the owner as an annotation, so a scale left
 * over by a run that died is never mistaken for the original count.
 */
export const scaleOwner: KubernetesFault<'scale'> = {
  planUndo: (_fault, context) => ({ action: 'restore-replicas', namespace: context.namespace, owner: null, replicas: null }),
  async inject(fault, context, run) {
    const owner = await singleOwner(context, 'scale');
    const object = await readScalable(context.api, context.namespace, owner);
    const recorded = Number(object.metadata?.annotations?.[REPLICAS_BEFORE_ANNOTATION]);
    const before = Number.isInteger(recorded) ? recorded : (object.spec?.replicas ?? 1);
    const undo = { action: 'restore-replicas' as const, namespace: context.namespace, owner, replicas: before };
    run.record(undo);
    await patchReplicas(context.api, context.namespace, owner, fault.params.replicas, String(before));
    return { undo, note: `${ownerKey(owner)} scaled ${object.spec?.replicas ?? 1} → ${fault.params.replicas}; rollback restores ${before}` };
  },
  async undo(record, { api }) {
    if (record.owner === null || record.replicas === null) {
      return { ok: true, action: `nothing was scaled yet: nothing to restore (an owner annotated ${REPLICAS_BEFORE_ANNOTATION} holds its original count)` };
    }
    try {
      return await restoreReplicas(api, record.namespace, record.owner, record.replicas);
    } catch (error) {
      return { ok: false, action: `scale ${ownerKey(record.owner)} back to ${record.replicas}`, error: errorMessage(error) };
    }
  },
};

export async function restoreReplicas(api: KubeApi, namespace: string, owner: Owner, replicas: number): Promise<RollbackOutcome> {
  await patchReplicas(api, namespace, owner, replicas, null);
  return { ok: true, action: `scaled ${ownerKey(owner)} back to ${replicas}` };
}

interface Scalable {
  metadata?: { annotations?: Record<string, string> };
  spec?: { replicas?: number };
}

async function readScalable(api: KubeApi, namespace: string, owner: Owner): Promise<Scalable> {
  return kubeCall<Scalable>(`reading ${ownerKey(owner)}`, api.server, () =>
    owner.kind === 'Deployment'
      ? api.apps.readNamespacedDeployment({ name: owner.name, namespace })
      : owner.kind === 'StatefulSet'
        ? api.apps.readNamespacedStatefulSet({ name: owner.name, namespace })
        : api.apps.readNamespacedReplicaSet({ name: owner.name, namespace }),
  );
}

/** One merge patch sets replicas and the annotation (null removes it). */
async function patchReplicas(api: KubeApi, namespace: string, owner: Owner, replicas: number, before: string | null): Promise<void> {
  const body = { metadata: { annotations: { [REPLICAS_BEFORE_ANNOTATION]: before } }, spec: { replicas } };
  const options = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
  const request = { name: owner.name, namespace, body };
  await kubeCall<Scalable>(`scaling ${ownerKey(owner)} to ${replicas}`, api.server, () =>
    owner.kind === 'Deployment'
      ? api.apps.patchNamespacedDeployment(request, options)
      : owner.kind === 'StatefulSet'
        ? api.apps.patchNamespacedStatefulSet(request, options)
        : api.apps.patchNamespacedReplicaSet(request, options),
  );
}
