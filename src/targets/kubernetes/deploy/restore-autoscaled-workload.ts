import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { sleep } from '../../../common/clock.js';
import { readAutoscalerTimers } from '../autoscaler-facts.js';
import type { KubeApi } from '../kube-api.js';
import { kubeCall, statusOf } from '../kube-errors.js';
import { restoreWorkload } from './restore-workload.js';
import type { WorkloadReadiness } from './wait-for-workload.js';

/** Past the controller's sync period: it has looked at the deleted autoscaler once more by then. */
const FORGET_MARGIN_MS = 1000;
const DEFAULT_SYNC_PERIOD_MS = 15_000;

export async function createAutoscaler(api: KubeApi, body: V2HorizontalPodAutoscaler): Promise<void> {
  const namespace = body.metadata?.namespace ?? 'default';
  await kubeCall(`creating HorizontalPodAutoscaler ${body.metadata?.name} in namespace ${namespace}`, api.server, () =>
    api.autoscaling.createNamespacedHorizontalPodAutoscaler({ namespace, body }),
  );
}

/**
 * restoreWorkload for a Deployment under an autoscaler: the autoscaler is deleted, the Deployment
 * reset to deploy.replicas and waited for, then the autoscaler created anew. Why not keep it:
 * it would scale the Deployment while it is reset, and kube-controller-manager keeps each
 * autoscaler's recent recommendations in memory for the scale-down stabilization window (its
 * stabilizeRecommendation takes their maximum), so the last iteration's scale-out would come
 * straight back. It forgets them only when a sync finds the autoscaler gone (reconcileKey: not
 * found → delete recommendations), hence the wait of one sync period before the new one appears.
 */
export async function restoreAutoscaledWorkload(
  api: KubeApi,
  workload: WorkloadReadiness,
  autoscaler: V2HorizontalPodAutoscaler,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<void> {
  const { name, namespace } = workload;
  const { timers } = await readAutoscalerTimers(api);
  await kubeCall(`deleting HorizontalPodAutoscaler ${name} in namespace ${namespace}`, api.server, async () => {
    try {
      await api.autoscaling.deleteNamespacedHorizontalPodAutoscaler({ name, namespace });
    } catch (error) {
      if (statusOf(error) !== 404) throw error; // gone already: fine
    }
  });
  const forgotten = performance.now() + (timers.syncPeriodMs ?? DEFAULT_SYNC_PERIOD_MS) + FORGET_MARGIN_MS;
  await restoreWorkload(api, workload, options);
  await sleep(forgotten - performance.now(), options.signal);
  await createAutoscaler(api, autoscaler);
}
