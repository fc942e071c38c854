import type { V1Container } from '@kubernetes/client-node';
import { formatDuration } from '../../common/duration.js';
import { errorMessage } from '../../common/errors.js';
import type { ClusterFact } from './cluster-facts.js';
import { parseGoDuration } from './cluster-facts.js';
import type { KubeApi } from './kube-api.js';

// The timers that decide how fast a HorizontalPodAutoscaler reacts: how often the controller
// reconciles, how long it holds off a scale-down, and how fresh metrics-server's figures are.
// rebound reads them from the cluster (kube-controller-manager's flags, metrics-server's args,
// read only) and reports them beside every autoscaling figure, as it does the node-failure delays.

export const AUTOSCALER_FACT_KEYS = {
  syncPeriodMs: 'hpaSyncPeriodMs',
  downscaleStabilizationMs: 'hpaDownscaleStabilizationMs',
  metricResolutionMs: 'metricResolutionMs',
} as const;

export interface AutoscalerTimers {
  /** undefined when kube-controller-manager cannot be read (a managed control plane). */
  syncPeriodMs?: number;
  downscaleStabilizationMs?: number;
  /** undefined when no metrics-server Deployment is found in kube-system. */
  metricResolutionMs?: number;
}

/** kube-controller-manager's defaults (Kubernetes 1.34: pkg/controller/podautoscaler/config). */
const DEFAULT_SYNC_PERIOD_MS = 15_000;
const DEFAULT_DOWNSCALE_STABILIZATION_MS = 300_000;
/** metrics-server's default --metric-resolution (cmd/metrics-server/app/options). */
const DEFAULT_METRIC_RESOLUTION_MS = 60_000;

/** A duration flag (`--name=10s` or `--name 10s`) of a container's command line, in ms. */
export function durationFlag(container: V1Container | undefined, name: string): number | undefined {
  const words = [...(container?.command ?? []), ...(container?.args ?? [])];
  for (const [index, word] of words.entries()) {
    if (word.startsWith(`--${name}=`)) return parseGoDuration(word.slice(name.length + 3));
    if (word === `--${name}`) return parseGoDuration(words[index + 1] ?? '');
  }
  return undefined;
}

/** Reads the timers; what cannot be read is left out and said in `problems`. */
export async function readAutoscalerTimers(api: KubeApi): Promise<{ timers: AutoscalerTimers; problems: string[] }> {
  const timers: AutoscalerTimers = {};
  const problems: string[] = [];
  try {
    const managers = await api.core.listNamespacedPod({ namespace: 'kube-system', labelSelector: 'component=kube-controller-manager' });
    const manager = managers.items[0]?.spec?.containers?.[0];
    if (manager === undefined) {
      problems.push('no kube-controller-manager pod in kube-system (a managed control plane?)');
    } else {
      timers.syncPeriodMs = durationFlag(manager, 'horizontal-pod-autoscaler-sync-period') ?? DEFAULT_SYNC_PERIOD_MS;
      timers.downscaleStabilizationMs = durationFlag(manager, 'horizontal-pod-autoscaler-downscale-stabilization') ?? DEFAULT_DOWNSCALE_STABILIZATION_MS;
    }
  } catch (error) {
    problems.push(`cannot read kube-controller-manager in kube-system: ${errorMessage(error)}`);
  }
  try {
    const servers = await api.apps.listNamespacedDeployment({ namespace: 'kube-system', labelSelector: 'k8s-app=metrics-server' });
    const server = servers.items[0]?.spec?.template.spec?.containers?.[0];
    if (server === undefined) problems.push('no metrics-server Deployment (label k8s-app=metrics-server) in kube-system: the autoscaler gets no CPU figures');
    else timers.metricResolutionMs = durationFlag(server, 'metric-resolution') ?? DEFAULT_METRIC_RESOLUTION_MS;
  } catch (error) {
    problems.push(`cannot read metrics-server in kube-system: ${errorMessage(error)}`);
  }
  return { timers, problems };
}

/** The timers as timeline facts, each with the sentence a report can quote. */
export function autoscalerFacts(timers: AutoscalerTimers, problems: readonly string[]): ClusterFact[] {
  const why = problems.join('; ') || 'not readable';
  const fact = (key: string, ms: number | undefined, sentence: (value: string) => string): ClusterFact =>
    ms === undefined ? { key, value: 'unknown', explanation: why } : { key, value: ms, explanation: sentence(formatDuration(ms)) };
  return [
    fact(AUTOSCALER_FACT_KEYS.syncPeriodMs, timers.syncPeriodMs, (value) => `the HorizontalPodAutoscaler reconciles every ${value} (kube-controller-manager --horizontal-pod-autoscaler-sync-period)`),
    fact(AUTOSCALER_FACT_KEYS.downscaleStabilizationMs, timers.downscaleStabilizationMs, (value) => `it scales down only to the highest recommendation of the last ${value} (--horizontal-pod-autoscaler-downscale-stabilization)`),
    fact(AUTOSCALER_FACT_KEYS.metricResolutionMs, timers.metricResolutionMs, (value) => `metrics-server takes a CPU figure of every pod every ${value} (--metric-resolution)`),
  ];
}
