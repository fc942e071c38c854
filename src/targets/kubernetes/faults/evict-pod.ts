import type { V1Pod } from '@kubernetes/client-node';
import { sleep } from '../../../common/clock.js';
import type { KubeApi } from '../kube-api.js';
import { apiMessage, explainKubeError, statusOf } from '../kube-errors.js';

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 5000;

export interface EvictionResult {
  pod: string;
  evicted: boolean;
  /** 429s received: the PodDisruptionBudget said "not now". */
  refusals: number;
  error?: string;
}

/** Mirror pods (static pods) and DaemonSet pods are not evicted by a drain; finished pods need nothing. */
export function isEvictable(pod: V1Pod): boolean {
  if (pod.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined) return false;
  if (pod.metadata?.ownerReferences?.some((reference) => reference.kind === 'DaemonSet' && reference.controller)) return false;
  if (pod.metadata?.deletionTimestamp) return false;
  return pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';
}

/**
 * Eviction API (policy/v1) for one pod. 429 Too Many Requests means a PodDisruptionBudget does not
 * allow the disruption yet: retried with backoff (500 ms doubling to 5 s, as kubectl drain retries
 * every 5 s) until `deadline` (performance.now() ms) or until the signal aborts.
 */
export async function evictPod(api: KubeApi, pod: V1Pod, deadline: number, signal?: AbortSignal): Promise<EvictionResult> {
  const name = pod.metadata?.name ?? '';
  const namespace = pod.metadata?.namespace ?? 'default';
  let refusals = 0;
  let retryMs = FIRST_RETRY_MS;
  for (;;) {
    if (signal?.aborted) return { pod: name, evicted: false, refusals, error: 'interrupted' };
    try {
      await api.core.createNamespacedPodEviction({ name, namespace, body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace } } });
      return { pod: name, evicted: true, refusals };
    } catch (error) {
      const status = statusOf(error);
      if (status === 404) return { pod: name, evicted: true, refusals }; // already gone
      if (status !== 429) throw explainKubeError(error, `evicting pod ${name}`, api.server);
      refusals++;
      if (performance.now() + retryMs > deadline) return { pod: name, evicted: false, refusals, error: `still refused when the drain timed out: ${apiMessage(error)}` };
      await sleep(retryMs, signal);
      retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    }
  }
}
