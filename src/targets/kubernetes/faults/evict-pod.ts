import type { V1Pod } from '@kubernetes/client-node';
import { pollUntil, type WaitClock } from '../../../common/poll-until.js';
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
 * allow the disruption yet: retried with back-off (500 ms doubling to 5 s, as kubectl drain retries
 * every 5 s) until `timeoutMs` has passed — the last attempt at that instant — or the signal aborts.
 */
export async function evictPod(api: KubeApi, pod: V1Pod, options: { timeoutMs: number; signal?: AbortSignal; clock?: WaitClock }): Promise<EvictionResult> {
  const name = pod.metadata?.name ?? '';
  const namespace = pod.metadata?.namespace ?? 'default';
  let refusals = 0;
  let lastRefusal = '';
  const result = await pollUntil({
    check: async () => {
      try {
        await api.core.createNamespacedPodEviction({ name, namespace, body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace } } });
        return true;
      } catch (error) {
        const status = statusOf(error);
        if (status === 404) return true; // already gone
        if (status !== 429) throw explainKubeError(error, `evicting pod ${name}`, api.server);
        refusals++;
        lastRefusal = apiMessage(error);
        return false;
      }
    },
    done: (evicted) => evicted,
    timeoutMs: options.timeoutMs,
    intervalMs: (attempt) => Math.min(FIRST_RETRY_MS * 2 ** (attempt - 1), MAX_RETRY_MS),
    ...(options.signal && { signal: options.signal }),
    ...(options.clock && { clock: options.clock }),
  });
  if (result.status === 'done') return { pod: name, evicted: true, refusals };
  return { pod: name, evicted: false, refusals, error: result.status === 'aborted' ? 'interrupted' : `still refused when the drain timed out: ${lastRefusal}` };
}
