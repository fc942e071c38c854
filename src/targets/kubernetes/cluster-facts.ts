import type { V1Pod } from '@kubernetes/client-node';
import { formatDuration } from '../../common/duration.js';
import { errorMessage } from '../../common/errors.js';
import type { TargetFactEntry } from '../../timeline/timeline.js';
import type { KubeApi } from './kube-api.js';

// The cluster's own delays that decide how a node failure plays out. rebound reads them from the
// cluster and reports them, instead of assuming the defaults.

export const FACT_KEYS = {
  nodeMonitorGracePeriodMs: 'nodeMonitorGracePeriodMs',
  notReadyTolerationMs: 'notReadyTolerationMs',
  unreachableTolerationMs: 'unreachableTolerationMs',
  podEvictionDelayMs: 'podEvictionDelayMs',
} as const;

export type ClusterFact = TargetFactEntry['data'];

export interface ClusterDelays {
  /** undefined when kube-controller-manager cannot be read (a managed control plane). */
  nodeMonitorGracePeriodMs?: number;
  notReadyTolerationMs?: number;
  unreachableTolerationMs?: number;
}

/** Kubernetes' default since 1.32 (kubernetes/kubernetes#125690 raised it from 40 s). */
const DEFAULT_GRACE_MS = 50_000;

/** "20s", "1m0s", "500ms", "1h2m3.5s" (Go's time.Duration syntax) → ms. */
export function parseGoDuration(text: string): number | undefined {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text.trim()) return undefined;
  return parts.reduce((sum, part) => sum + Number(part[1]) * units[part[2]!]!, 0);
}

/** The --node-monitor-grace-period flag of a kube-controller-manager pod, or undefined if not set. */
export function gracePeriodFlag(pod: V1Pod): number | undefined {
  const container = pod.spec?.containers?.[0];
  const words = [...(container?.command ?? []), ...(container?.args ?? [])];
  for (const [index, word] of words.entries()) {
    if (word.startsWith('--node-monitor-grace-period=')) return parseGoDuration(word.split('=')[1] ?? '');
    if (word === '--node-monitor-grace-period') return parseGoDuration(words[index + 1] ?? '');
  }
  return undefined;
}

/** tolerationSeconds of the pods' NoExecute toleration for a node taint (the smallest; default 300 s). */
export function tolerationMs(pods: readonly V1Pod[], taint: 'node.kubernetes.io/not-ready' | 'node.kubernetes.io/unreachable'): number | undefined {
  const seconds = pods.flatMap((pod) =>
    (pod.spec?.tolerations ?? [])
      .filter((toleration) => toleration.key === taint && (toleration.effect === 'NoExecute' || toleration.effect === undefined))
      .map((toleration) => toleration.tolerationSeconds)
      .filter((value): value is number => typeof value === 'number'),
  );
  return seconds.length > 0 ? Math.min(...seconds) * 1000 : undefined;
}

/** Reads the delays: kube-controller-manager's flags (kube-system, read only) and the pods' tolerations. */
export async function readClusterDelays(api: KubeApi, pods: readonly V1Pod[]): Promise<{ delays: ClusterDelays; problem?: string }> {
  const delays: ClusterDelays = {};
  const notReady = tolerationMs(pods, 'node.kubernetes.io/not-ready');
  const unreachable = tolerationMs(pods, 'node.kubernetes.io/unreachable');
  if (notReady !== undefined) delays.notReadyTolerationMs = notReady;
  if (unreachable !== undefined) delays.unreachableTolerationMs = unreachable;
  try {
    const managers = await api.core.listNamespacedPod({ namespace: 'kube-system', labelSelector: 'component=kube-controller-manager' });
    const manager = managers.items[0];
    if (manager === undefined) return { delays, problem: 'no kube-controller-manager pod in kube-system (a managed control plane?)' };
    delays.nodeMonitorGracePeriodMs = gracePeriodFlag(manager) ?? DEFAULT_GRACE_MS;
    return { delays };
  } catch (error) {
    return { delays, problem: `cannot read kube-controller-manager in kube-system: ${errorMessage(error)}` };
  }
}

/** The delays as timeline facts, each with the sentence a verdict can quote. */
export function clusterFacts(delays: ClusterDelays, problem?: string): ClusterFact[] {
  const facts: ClusterFact[] = [];
  const grace = delays.nodeMonitorGracePeriodMs;
  facts.push(
    grace === undefined
      ? { key: FACT_KEYS.nodeMonitorGracePeriodMs, value: 'unknown', explanation: problem ?? 'kube-controller-manager could not be read' }
      : { key: FACT_KEYS.nodeMonitorGracePeriodMs, value: grace, explanation: `the node controller marks a node NotReady ${formatDuration(grace)} after its kubelet's last heartbeat (kube-controller-manager --node-monitor-grace-period)` },
  );
  if (delays.notReadyTolerationMs !== undefined) {
    facts.push({ key: FACT_KEYS.notReadyTolerationMs, value: delays.notReadyTolerationMs, explanation: `pods stay bound to a NotReady node for ${formatDuration(delays.notReadyTolerationMs)} (toleration node.kubernetes.io/not-ready)` });
  }
  if (delays.unreachableTolerationMs !== undefined) {
    facts.push({ key: FACT_KEYS.unreachableTolerationMs, value: delays.unreachableTolerationMs, explanation: `pods stay bound to an unreachable node for ${formatDuration(delays.unreachableTolerationMs)} (toleration node.kubernetes.io/unreachable)` });
  }
  const eviction = evictionDelayMs(delays);
  if (eviction !== undefined) {
    facts.push({ key: FACT_KEYS.podEvictionDelayMs, value: eviction, explanation: evictionSentence(delays) });
  }
  return facts;
}

export function evictionDelayMs(delays: ClusterDelays): number | undefined {
  const toleration = delays.unreachableTolerationMs ?? delays.notReadyTolerationMs;
  return delays.nodeMonitorGracePeriodMs === undefined || toleration === undefined ? undefined : delays.nodeMonitorGracePeriodMs + toleration;
}

/** "a failed node's pods are replaced only after ~5 m 20 s: 20.00 s to NotReady + 5 m 00 s of toleration" */
export function evictionSentence(delays: ClusterDelays): string {
  const total = evictionDelayMs(delays);
  const toleration = delays.unreachableTolerationMs ?? delays.notReadyTolerationMs;
  if (total === undefined || toleration === undefined || delays.nodeMonitorGracePeriodMs === undefined) {
    return 'the cluster replaces the pods of a failed node only after node-monitor-grace-period + the pods\' tolerationSeconds (not readable here)';
  }
  return `the cluster replaces the pods of a failed node only after ~${formatDuration(total)}: ${formatDuration(delays.nodeMonitorGracePeriodMs)} until the node is NotReady (node-monitor-grace-period) + ${formatDuration(toleration)} of the pods' tolerationSeconds. Until NotReady its pods still count as Ready but do not answer; after, they are unready but not replaced until the toleration runs out`;
}
