import type { KubeApi } from './kube-api.js';
import { kubeCall, statusOf } from './kube-errors.js';

/**
 * Deletes the pods (matched by `labelSelector`, terminating ones left alone) whose containers the
 * kubelet restarted, so their ReplicaSet makes fresh ones. Why: the kubelet's crash back-off (the
 * next restart 10 s after a second crash, then doubling; reset only after 10 minutes of running)
 * would make a later crash of the same pod look like a slow recovery, and iterations would not
 * start from the same state. Returns the names deleted.
 */
export async function replaceRestartedPods(api: KubeApi, namespace: string, labelSelector: string): Promise<string[]> {
  const pods = await kubeCall(`listing pods ${labelSelector} in namespace ${namespace}`, api.server, () => api.core.listNamespacedPod({ namespace, labelSelector }));
  const restarted = pods.items.filter((pod) => !pod.metadata?.deletionTimestamp && (pod.status?.containerStatuses ?? []).some((status) => status.restartCount > 0));
  for (const pod of restarted) {
    await kubeCall(`deleting restarted pod ${pod.metadata!.name} in namespace ${namespace}`, api.server, async () => {
      try {
        await api.core.deleteNamespacedPod({ name: pod.metadata!.name!, namespace });
      } catch (error) {
        if (statusOf(error) !== 404) throw error; // gone already: fine
      }
    });
  }
  return restarted.map((pod) => pod.metadata!.name!);
}
