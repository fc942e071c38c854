import { errorMessage } from '../../../common/errors.js';
import type { FaultImplementation, RollbackOutcome } from '../../../faults/index.js';
import { listSystemPods } from '../discover-system.js';
import { kubeCall, statusOf } from '../kube-errors.js';
import { isPodReady } from '../pod-facts.js';
import type { KubernetesFaultContext, KubernetesUndoContext } from './fault-context.js';

interface ControllerReplaces {
  action: 'controller-replaces';
  namespace: string;
  pods: string[];
  labels: Record<string, string>;
}

/**
 * kill, stop and remove are a pod delete with a grace period: with grace 0 the API removes the pod
 * at once (a force delete: the kubelet kills the containers afterwards); with grace N the kubelet
 * sends SIGTERM and SIGKILL after N s. Either way the pod's controller creates a replacement: there
 * is nothing for rebound to undo, and the undo only says how many of the system's pods are ready.
 */
export function deletePods<P>(graceMsOf: (params: P) => number): FaultImplementation<P, ControllerReplaces, KubernetesFaultContext, KubernetesUndoContext> {
  return {
    planUndo: (fault, context) => ({ action: 'controller-replaces', namespace: context.namespace, pods: [...fault.subjects], labels: context.selector.labels }),
    async inject(fault, context) {
      const gracePeriodSeconds = Math.round(graceMsOf(fault.params) / 1000);
      for (const name of fault.subjects) {
        await kubeCall(`deleting pod ${name} in ${context.namespace}`, context.api.server, async () => {
          try {
            await context.api.core.deleteNamespacedPod({ name, namespace: context.namespace, gracePeriodSeconds });
          } catch (error) {
            // Already gone (its controller or another fault got there first): the fault's effect holds.
            if (statusOf(error) !== 404) throw error;
          }
        });
      }
      return {
        undo: { action: 'controller-replaces', namespace: context.namespace, pods: [...fault.subjects], labels: context.selector.labels },
        note: `pod delete with grace ${gracePeriodSeconds} s${gracePeriodSeconds === 0 ? ' (removed from the API at once)' : ''}: the pod's controller creates a replacement; rebound recreates nothing`,
      };
    },
    undo: (record, context) => replicasBack(record, context),
  };
}

/** Nothing to undo; say whether the controller has put the replicas back yet (never fails). */
async function replicasBack(record: ControllerReplaces, { api }: KubernetesUndoContext): Promise<RollbackOutcome> {
  const nothing = 'nothing to undo (the controller replaces deleted pods)';
  try {
    const { pods } = await listSystemPods(api, { labels: record.labels }, record.namespace);
    return { ok: true, action: `${nothing}; ${pods.filter(isPodReady).length} matching pods ready now` };
  } catch (error) {
    return { ok: true, action: `${nothing}; the pods could not be counted: ${errorMessage(error)}` };
  }
}
