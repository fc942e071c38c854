import { answerOrigins, crossedNodeShare } from '../assertions/answer-origins.js';
import { recoveryTimes } from '../assertions/recovery-time.js';
import { replicaFigures } from '../assertions/replicas.js';
import { restartDelayOf, restartDelays } from '../assertions/restart-delays.js';
import { rolloutFigures } from '../assertions/rollout-figures.js';
import { trafficFigures } from '../assertions/traffic-figures.js';
import type { RunResult } from '../run/run-result.js';
import type { TargetKind } from '../targets/target.js';
import type { MeasureName, MeasureSummary } from './compare-report.js';

/**
 * How each measure is read and shown; the order is the table's. `absent`: what a target's cell
 * says when the measure has no value there but another target has one (instead of "—").
 */
export const measureDefinitions: Record<MeasureName, { label: string; unit: MeasureSummary['unit']; help: string; absent?: Partial<Record<TargetKind, string>> }> = {
  recoveryMs: { label: 'recovery time', unit: 'ms', help: 'fault → steady state held for the settle period (worst fault of the run); not recovered is counted, not averaged' },
  minReady: { label: 'min ready', unit: 'count', help: 'fewest ready instances during chaos' },
  successRatio: { label: 'requests answered', unit: 'ratio', help: 'probe requests answered 2xx/3xx during chaos' },
  failedRequests: { label: 'failed requests', unit: 'count', help: 'probe and load requests that failed during chaos' },
  longestOutageMs: { label: 'longest outage', unit: 'ms', help: 'longest span without a successful answer during chaos' },
  latencyP95Ms: { label: 'latency p95', unit: 'ms', help: 'p95 latency of answered probe requests during chaos' },
  maxInstanceShare: { label: 'busiest instance share', unit: 'ratio', help: 'share of answered requests taken by the busiest instance (1 = no balancing)' },
  crossedNodeShare: {
    label: 'answers that crossed nodes',
    unit: 'ratio',
    help: 'two-tier app: share of answered requests whose web and api instances ran on different nodes (X-Crossed-Nodes)',
    absent: { docker: 'one host: nothing to cross' },
  },
  restartDelayMs: {
    label: 'restart delay',
    unit: 'ms',
    help: 'the killed instance\'s death to its next start, from the engine\'s timestamps (the first kill): Docker\'s restart-policy delay, the kubelet\'s',
    absent: { docker: 'not restarted', kubernetes: 'not restarted' },
  },
  repeatRestartDelayMs: {
    label: 'restart delay, killed again',
    unit: 'ms',
    help: 'the same for the last repetition of the fault: the back-off grown (Docker doubles from 100 ms, the kubelet waits 10 s, 20 s … in CrashLoopBackOff)',
    absent: { docker: 'not restarted', kubernetes: 'not restarted' },
  },
  rolloutMs: { label: 'rollout duration', unit: 'ms', help: 'rollout start → every instance on the new release and ready (Kubernetes: the Deployment reports it complete)' },
  stallMs: {
    label: 'stall visible after',
    unit: 'ms',
    help: 'rollout start → the engine reports it stalled (Kubernetes: Progressing=False, ProgressDeadlineExceeded)',
    absent: { docker: 'no stall: the new containers replace the old whatever they do' },
  },
  rolledBackMs: { label: 'time to roll back', unit: 'ms', help: 'rollback start → only the previous version answers and the steady state held for the settle period' },
  previousVersionShare: { label: 'answered by the previous version', unit: 'ratio', help: 'share of the probe requests during the rollout that the version answering before it answered (failures count against)' },
};

export const measureNames = Object.keys(measureDefinitions) as MeasureName[];

/** The measures an experiment has a value (or a "not recovered") for on some target, in table order: the others have nothing to show. */
export function measuredNames(comparison: { sides: readonly { measures: Record<MeasureName, { n: number; notRecovered: number }> }[] }): MeasureName[] {
  return measureNames.filter((name) => comparison.sides.some((side) => side.measures[name].n > 0 || side.measures[name].notRecovered > 0));
}

/** One run's value of every measure, from its timeline; null where there is nothing to measure. */
export function runMeasures(run: RunResult): Record<MeasureName, number | null> {
  const times = recoveryTimes(run.timeline, run.plan.settleMs);
  const replicas = replicaFigures(run.timeline);
  const traffic = trafficFigures(run.timeline);
  const answered = Object.values(traffic.byInstance).reduce((sum, count) => sum + count, 0);
  const delays = restartDelays(run.timeline);
  const [rollout] = rolloutFigures(run.timeline, run.plan.settleMs);
  return {
    recoveryMs: times.length === 0 || times.some((time) => time.ms === null) ? null : Math.max(...times.map((time) => time.ms!)),
    minReady: replicas.minReady,
    successRatio: traffic.successRatio,
    failedRequests: traffic.sent + traffic.load.sent > 0 ? traffic.failed + traffic.load.failed : null,
    longestOutageMs: traffic.sent > 0 ? (traffic.longestOutage?.ms ?? 0) : null,
    latencyP95Ms: traffic.latency.p95,
    maxInstanceShare: answered === 0 ? null : Math.max(...Object.values(traffic.byInstance)) / answered,
    crossedNodeShare: crossedNodeShare(answerOrigins(run.timeline)),
    restartDelayMs: restartDelayOf(delays, 'first'),
    repeatRestartDelayMs: restartDelayOf(delays, 'last'),
    rolloutMs: rollout?.completedMs ?? null,
    stallMs: rollout?.stalledMs ?? null,
    rolledBackMs: rollout?.rolledBackMs ?? null,
    previousVersionShare: rollout?.previousShare ?? null,
  };
}
