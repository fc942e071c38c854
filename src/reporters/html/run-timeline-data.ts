import { runWindows } from '../../assertions/chaos-window.js';
import { recoveryTimes } from '../../assertions/recovery-time.js';
import { rolloutFigures } from '../../assertions/rollout-figures.js';
import { replicaSteps } from '../../assertions/steady-state.js';
import { formatDuration } from '../../common/duration.js';
import type { RunResult } from '../../run/run-result.js';
import { entriesOf, type LoadBucketEntry } from '../../timeline/timeline.js';
import { LatencyHistogram } from '../../stats/latency-histogram.js';
import { type VersionShare, versionShare } from '../version-share.js';
import { type ResourceChartData, resourceChartData } from './resource-series.js';

/** Width of one chart bin, ms. The load generator records 100 ms buckets too, so they line up. */
export const BIN_MS = 100;
/**
 * At most this many bins per run (10 minutes of 100 ms bins): a longer run gets wider bins, a
 * multiple of BIN_MS, so the page stays small and a chart has no more bins than a screen has pixels.
 */
export const MAX_BINS = 6000;

/** BIN_MS, or the smallest multiple of it that covers `endMs` in MAX_BINS bins. */
export function binWidth(endMs: number): number {
  return Math.max(1, Math.ceil(endMs / (MAX_BINS * BIN_MS))) * BIN_MS;
}

export type MarkerKind = 'fault-injected' | 'fault-failed' | 'fault-rolled-back' | 'recovered' | 'rollout' | 'observation-end' | 'note';

/** A vertical line on the charts, and a line in the event list under them. */
export interface TimelineMarker {
  /** ms since run start. */
  t: number;
  /** A fault's injection or rollback spans time: the band [t, until] is shaded, the line is at t. */
  until?: number;
  kind: MarkerKind;
  /** Short text drawn beside the line. */
  label: string;
  /** The whole sentence for the event list. */
  text: string;
}

/** Per-bin series of one series family; index k covers [k · binMs, (k + 1) · binMs). */
export interface TrafficBins {
  ok: number[];
  failed: number[];
  /** Latency of the answered requests sent in the bin (failed requests have no latency), ms; null: none answered. */
  p50: (number | null)[];
  p95: (number | null)[];
  p99: (number | null)[];
}

/** What a run's charts show: binned, so the page stays small whatever the request rate. */
export interface RunTimelineData {
  binMs: number;
  /** Number of bins; x of bin k is k · binMs. */
  bins: number;
  /** ms since run start of the last thing shown. */
  endMs: number;
  /** Traffic-probe requests (`request` entries); null when the run had no probe requests. */
  probe: TrafficBins | null;
  /** Load generator buckets (`load-bucket` entries), their histograms merged per bin; null without load. */
  load: TrafficBins | null;
  /** Ready / desired replicas as steps: each value holds from its t until the next. */
  /** `autoscaler`: what a HorizontalPodAutoscaler asked for (status.desiredReplicas) at each t, when the run has one. */
  replicas: { t: number[]; ready: number[]; desired: number[]; autoscaler?: (number | null)[] };
  markers: TimelineMarker[];
  /** Answers per version over time (X-Version), in slices of 1 s or more; null when no answer named a version. */
  versions: VersionShare | null;
  /** CPU and memory of the instances a resource fault touched (resource-sample entries); null when none were sampled. */
  resources: ResourceChartData | null;
}

// Latencies are shown, not re-measured: hundredths of a ms are plenty and keep the JSON short.
const hundredths = (ms: number | null) => (ms === null ? null : Math.round(ms * 100) / 100);

function emptyBins(bins: number): TrafficBins {
  return { ok: new Array<number>(bins).fill(0), failed: new Array<number>(bins).fill(0), p50: new Array(bins).fill(null), p95: new Array(bins).fill(null), p99: new Array(bins).fill(null) };
}

const binOf = (t: number, bins: number, binMs: number) => Math.min(bins - 1, Math.max(0, Math.floor(t / binMs)));

function probeBins(run: RunResult, bins: number, binMs: number): TrafficBins | null {
  const requests = entriesOf(run.timeline, 'request');
  if (requests.length === 0) return null;
  const series = emptyBins(bins);
  const latencies: number[][] = Array.from({ length: bins }, () => []);
  for (const request of requests) {
    const bin = binOf(request.t, bins, binMs);
    if (request.data.ok) {
      series.ok[bin]!++;
      latencies[bin]!.push(request.data.ms);
    } else series.failed[bin]!++;
  }
  // One histogram, refilled per bin: the same percentiles as every other latency figure of rebound.
  const histogram = LatencyHistogram.empty();
  latencies.forEach((ms, bin) => {
    if (ms.length === 0) return;
    histogram.reset();
    for (const value of ms) histogram.recordMs(value);
    series.p50[bin] = hundredths(histogram.percentileMs(50));
    series.p95[bin] = hundredths(histogram.percentileMs(95));
    series.p99[bin] = hundredths(histogram.percentileMs(99));
  });
  return series;
}

function loadBins(run: RunResult, bins: number, binMs: number): TrafficBins | null {
  const buckets = entriesOf(run.timeline, 'load-bucket');
  if (buckets.length === 0) return null;
  const series = emptyBins(bins);
  const answered: LoadBucketEntry[][] = Array.from({ length: bins }, () => []);
  for (const bucket of buckets) {
    const bin = binOf(bucket.t, bins, binMs);
    series.ok[bin]! += bucket.data.ok;
    series.failed[bin]! += bucket.data.failed;
    if (bucket.data.ok > 0) answered[bin]!.push(bucket);
  }
  const merged = LatencyHistogram.empty();
  answered.forEach((inBin, bin) => {
    if (inBin.length === 0) return;
    const latency = binLatency(inBin, merged);
    series.p50[bin] = hundredths(latency.p50);
    series.p95[bin] = hundredths(latency.p95);
    series.p99[bin] = hundredths(latency.p99);
  });
  return series;
}

/**
 * One bucket per bin (100 ms bins): its own percentiles. Several (wider bins of long runs, or a
 * cluster load's late part of a bucket): their histograms merged. Buckets written before they carried
 * histograms cannot be merged: the bin then shows the worst bucket's, which hides no spike.
 */
function binLatency(buckets: readonly LoadBucketEntry[], merged: LatencyHistogram): { p50: number; p95: number; p99: number } {
  if (buckets.length === 1) return buckets[0]!.data.latencyMs;
  if (buckets.every((bucket) => bucket.data.histogram !== undefined)) {
    merged.reset();
    for (const bucket of buckets) merged.add(LatencyHistogram.decode(bucket.data.histogram!));
    return { p50: merged.percentileMs(50)!, p95: merged.percentileMs(95)!, p99: merged.percentileMs(99)! };
  }
  const worst = (key: 'p50' | 'p95' | 'p99') => Math.max(...buckets.map((bucket) => bucket.data.latencyMs[key]));
  return { p50: worst('p50'), p95: worst('p95'), p99: worst('p99') };
}

function markers(run: RunResult): TimelineMarker[] {
  const found: TimelineMarker[] = [];
  for (const entry of entriesOf(run.timeline, 'fault-injected')) {
    const on = entry.data.subjects.length === 0 ? '' : ` on ${entry.data.subjects.join(', ')}`;
    const started = entry.data.startedAt ?? entry.t;
    const took = entry.t > started ? `; the injection took ${formatDuration(entry.t - started)}` : '';
    const incomplete = entry.data.incomplete ? ` — incomplete: ${entry.data.incomplete}` : '';
    found.push({ t: started, ...(entry.t > started && { until: entry.t }), kind: 'fault-injected', label: entry.data.name, text: `fault ${entry.data.name} injected${on}${took}${incomplete}` });
  }
  for (const entry of entriesOf(run.timeline, 'fault-failed')) {
    found.push({ t: entry.t, kind: 'fault-failed', label: `${entry.data.name} failed`, text: `fault ${entry.data.name} failed to inject: ${entry.data.error}` });
  }
  for (const entry of entriesOf(run.timeline, 'fault-rolled-back')) {
    const started = entry.data.startedAt ?? entry.t;
    found.push({ t: started, ...(entry.t > started && { until: entry.t }), kind: 'fault-rolled-back', label: 'rolled back', text: `fault ${entry.data.name} rolled back${entry.data.ok ? '' : ' — FAILED'}${entry.data.action ? `: ${entry.data.action}` : ''}${entry.data.error ? ` (${entry.data.error})` : ''}` });
  }
  // The recovery-time assertion's own definition: the steady state held for the settle period.
  for (const time of recoveryTimes(run.timeline, run.plan.settleMs)) {
    if (time.ms !== null) found.push({ t: time.t + time.ms, kind: 'recovered', label: 'recovered', text: `recovered from ${time.name} after ${formatDuration(time.ms)} (steady state then held for ${formatDuration(run.plan.settleMs)})` });
  }
  // Game-day notes, where they were typed.
  for (const entry of entriesOf(run.timeline, 'note')) {
    if (entry.source === 'human') found.push({ t: entry.t, kind: 'note', label: entry.data.actionItem ? '! action item' : 'note', text: `${entry.data.actionItem ? 'action item' : 'note'}: ${entry.data.text}` });
  }
  // What the engine said about a rollout (rollout-figures.ts): complete, or stalled.
  for (const rollout of rolloutFigures(run.timeline, run.plan.settleMs)) {
    if (rollout.completedMs !== null) found.push({ t: rollout.startedAt + rollout.completedMs, kind: 'rollout', label: 'rollout complete', text: `rollout complete ${formatDuration(rollout.completedMs)} after it started: every instance on the new release and ready` });
    if (rollout.stalledMs !== null) found.push({ t: rollout.startedAt + rollout.stalledMs, kind: 'rollout', label: 'rollout stalled', text: `the engine reports the rollout stalled (ProgressDeadlineExceeded) ${formatDuration(rollout.stalledMs)} after it started` });
  }
  const rollback = entriesOf(run.timeline, 'phase').find((entry) => entry.data.phase === 'rollback');
  if (rollback) found.push({ t: runWindows(run.timeline).end, kind: 'observation-end', label: 'observation ends', text: 'observation ends: rebound rolls back what is left' });
  return found.sort((a, b) => a.t - b.t);
}

/** The run's timeline, binned (100 ms, wider for runs over 10 minutes), with replica steps and fault / recovery markers. */
export function runTimelineData(run: RunResult): RunTimelineData {
  const lastEntry = run.timeline.reduce((last, entry) => Math.max(last, entry.t), 0);
  const endMs = Math.max(run.durationMs, lastEntry);
  const binMs = binWidth(endMs);
  // floor + 1: an entry at exactly endMs (run-ended) still has a bin.
  const bins = Math.floor(endMs / binMs) + 1;
  const steps = replicaSteps(run.timeline);
  return {
    binMs,
    bins,
    endMs,
    probe: probeBins(run, bins, binMs),
    load: loadBins(run, bins, binMs),
    replicas: replicaSeries(run, steps),
    markers: markers(run),
    versions: versionShare(run.timeline, endMs),
    resources: resourceChartData(run.timeline),
  };
}

/** The faults that never recovered, as sentences for the event list (they have no marker). */
export function notRecovered(run: RunResult): string[] {
  return recoveryTimes(run.timeline, run.plan.settleMs)
    .filter((time) => time.ms === null)
    .map((time) => `not recovered from ${time.name} (injected at ${formatDuration(time.t)}) before observation ended`);
}

/**
 * Ready / desired replica steps, and what an autoscaler asked for, on one time axis: each value
 * holds from its t until the next (the autoscaler's 0 — no metrics yet — is left out).
 */
function replicaSeries(run: RunResult, steps: ReturnType<typeof replicaSteps>): RunTimelineData['replicas'] {
  const wanted = entriesOf(run.timeline, 'autoscaler').filter((entry) => entry.data.desired > 0);
  if (wanted.length === 0) return { t: steps.map((step) => step.t), ready: steps.map((step) => step.ready), desired: steps.map((step) => step.desired) };
  const times = [...new Set([...steps.map((step) => step.t), ...wanted.map((entry) => entry.t)])].sort((a, b) => a - b);
  const at = <T extends { t: number }>(list: readonly T[], t: number) => list.filter((item) => item.t <= t).at(-1);
  return {
    t: times,
    ready: times.map((t) => at(steps, t)?.ready ?? 0),
    desired: times.map((t) => at(steps, t)?.desired ?? 0),
    autoscaler: times.map((t) => at(wanted, t)?.data.desired ?? null),
  };
}
