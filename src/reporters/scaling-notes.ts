import { scaleOutFigures } from '../assertions/scale-out-figures.js';
import { trafficFigures } from '../assertions/traffic-figures.js';
import { formatDuration } from '../common/duration.js';
import { faultCatalog, type FaultName } from '../faults/index.js';
import type { RunResult } from '../run/run-result.js';
import { entriesOf } from '../timeline/timeline.js';
import { podsOnNode } from '../timeline/pods-on-node.js';

const ms = (value: number | null) => (value === null ? 'never' : formatDuration(value));
const latency = (value: number | null) => (value === null ? 'n/a' : formatDuration(value));

/**
 * How an autoscaler answered the load, in one line with the timers in force, and the probe's p95
 * before the load rose, while the new replicas were not ready yet, and after the last of them was
 * ready. Empty without autoscaler entries (a Docker run, no deploy.autoscale).
 */
export function scalingNotes(run: RunResult): string[] {
  const figures = scaleOutFigures(run.timeline);
  if (figures === undefined) return [];
  const timers = entriesOf(run.timeline, 'target-fact').filter((fact) => fact.data.key.startsWith('hpa') || fact.data.key === 'metricResolutionMs');
  const inForce = timers.map((fact) => fact.data.explanation ?? `${fact.data.key} ${String(fact.data.value)}`).join('; ');
  const engine = figures.firstDecisionEngineMs === null ? '' : ` (the HPA's own lastScaleTime: ${formatDuration(figures.firstDecisionEngineMs)})`;
  const lines = [
    `autoscaler: first scale-out decision ${ms(figures.firstDecisionMs)} after the load rose${engine}, to ${figures.firstDesired ?? '—'} replicas, ready after ${ms(figures.firstReadyMs)}; at most ${figures.maxDesired ?? '—'} asked for, ready after ${ms(figures.maxReadyMs)}; ${figures.finalReady ?? '—'} ready at the end${inForce ? ` — ${inForce}` : ''}`,
  ];
  const rise = figures.loadRiseAt;
  const overloaded = trafficFigures(run.timeline, { from: rise, ...(figures.firstReadyMs !== null && { to: rise + figures.firstReadyMs }) });
  const scaled = figures.maxReadyMs === null ? undefined : trafficFigures(run.timeline, { from: rise + figures.maxReadyMs });
  lines.push(
    `probe latency p95: ${latency(overloaded.baselineLatency.p95)} before the load rose, ${latency(overloaded.latency.p95)} until the first new replicas were ready (${overloaded.failed} of ${overloaded.sent} failed), ${scaled ? `${latency(scaled.latency.p95)} once all were ready (${scaled.failed} of ${scaled.sent} failed)` : 'never all ready'}`,
  );
  return lines;
}

/** "node rebound-worker held 2 of the system's 3 pods when the run started", for faults on hosts. */
export function hostShareNotes(run: RunResult): string[] {
  return entriesOf(run.timeline, 'fault-injected').flatMap((entry) => {
    if (faultCatalog[entry.data.name as FaultName]?.actsOn !== 'hosts') return [];
    return entry.data.subjects.flatMap((node) => {
      const share = podsOnNode(run.timeline, node);
      return share === undefined ? [] : [`node ${node} held ${share.held} of the system's ${share.of} pods when the run started (fault ${entry.data.name})`];
    });
  });
}
