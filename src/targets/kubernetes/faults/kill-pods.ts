import { errorMessage } from '../../../common/errors.js';
import { kubeCall, statusOf } from '../kube-errors.js';
import { isPodReady } from '../pod-facts.js';
import { listSystemPods } from '../discover-system.js';
import { type FaultContext, type InjectFault, once } from './fault-context.js';

/**
 * kill = pod delete. With grace 0 the API removes the pod at once (a force delete: the kubelet
 * kills the containers afterwards); with grace N the kubelet sends SIGTERM and SIGKILL after N s.
 * Either way the pod's controller creates a replacement: there is nothing for rebound to undo.
 */
export const killPods: InjectFault = async (fault, context) => {
  const graceMs = typeof fault.params.gracePeriod === 'number' ? fault.params.gracePeriod : 0;
  const gracePeriodSeconds = Math.round(graceMs / 1000);
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
    note: `pod delete with grace ${gracePeriodSeconds} s${gracePeriodSeconds === 0 ? ' (removed from the API at once)' : ''}: the pod's controller creates a replacement; rebound recreates nothing`,
    undo: { target: 'kubernetes', action: 'none', subjects: fault.subjects },
    rollback: once(() => replicasBack(context)),
  };
};

/** Nothing to undo; say whether the controller has put the replicas back yet (never fails the rollback). */
export async function replicasBack(context: FaultContext): Promise<{ ok: true; action: string }> {
  try {
    const { pods } = await listSystemPods(context.api, context.selector, context.namespace);
    const ready = pods.filter(isPodReady).length;
    return { ok: true, action: `nothing to undo (the controller replaces deleted pods); ${ready} matching pods ready now` };
  } catch (error) {
    return { ok: true, action: `nothing to undo (the controller replaces deleted pods); the pods could not be counted: ${errorMessage(error)}` };
  }
}
