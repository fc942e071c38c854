import { errorMessage } from '../../../common/errors.js';
import type { RollbackOutcome, UndoRecord } from '../../target.js';
import type { KindNodes } from '../kind/kind-nodes.js';
import type { KubeApi } from '../kube-api.js';
import type { Owner } from '../owners.js';
import { setUnschedulable } from './cordon.js';
import { bringNodeBack } from './fail-node.js';
import { REPLICAS_BEFORE_ANNOTATION, restoreReplicas } from './scale-owner.js';

/**
 * Undoes a journal record without the process that injected the fault (`rebound recover`, or right
 * after an injection that failed half-way). Every action is idempotent: uncordoning an uncordoned
 * node, starting a running node or restoring a count already restored changes nothing.
 */
export async function undoRecord(record: UndoRecord, api: KubeApi, kindNodes: KindNodes): Promise<RollbackOutcome> {
  switch (record.action) {
    case 'uncordon':
      return forEachSubject(record, async (node) => {
        await setUnschedulable(api, node, false);
        return `uncordoned ${node}`;
      });
    case 'start-node':
    case 'unpause-node':
      return forEachSubject(record, async (node) => {
        const outcome = await bringNodeBack(api, kindNodes, await kindNodes.require(node, 'bringing a failed node back'));
        if (!outcome.ok) throw new Error(outcome.error ?? outcome.action);
        return outcome.action;
      });
    case 'scale':
      return undoScale(record, api);
    case 'none':
    case 'start':
    case 'recreate':
    case 'unpause':
      // kill / crash / remove on Kubernetes: the pod's controller or the kubelet restores the pod.
      return { ok: true, action: `nothing to undo for ${record.subjects.join(', ') || 'the system'}: controllers replace pods` };
    default:
      return { ok: false, action: record.action, error: `unknown undo action "${record.action}" for the Kubernetes target` };
  }
}

async function forEachSubject(record: UndoRecord, undo: (subject: string) => Promise<string>): Promise<RollbackOutcome> {
  const done: string[] = [];
  const failed: string[] = [];
  for (const subject of record.subjects) {
    try {
      done.push(await undo(subject));
    } catch (error) {
      failed.push(`${subject}: ${errorMessage(error)}`);
    }
  }
  const action = done.length > 0 ? done.join('; ') : `${record.action} ${record.subjects.join(', ')}`;
  return failed.length === 0 ? { ok: true, action } : { ok: false, action, error: failed.join('; ') };
}

async function undoScale(record: UndoRecord, api: KubeApi): Promise<RollbackOutcome> {
  const params = record.params ?? {};
  const { namespace, kind, name, replicas } = params as { namespace?: unknown; kind?: unknown; name?: unknown; replicas?: unknown };
  if (typeof namespace !== 'string' || typeof name !== 'string' || typeof replicas !== 'number' || !['Deployment', 'StatefulSet', 'ReplicaSet'].includes(String(kind))) {
    // Journalled before the scale happened and never completed: the patch did not go through, or
    // the owner carries the annotation with the count to go back to.
    return { ok: true, action: `no replica count was recorded: nothing restored (an owner annotated ${REPLICAS_BEFORE_ANNOTATION} holds the original count)` };
  }
  try {
    return await restoreReplicas(api, namespace, { kind: kind as Owner['kind'], name }, replicas);
  } catch (error) {
    return { ok: false, action: `scale ${kind}/${name} back to ${replicas}`, error: errorMessage(error) };
  }
}
