import { entriesOf, type LoadBucketEntry, type RequestEntry, type TimelineEntry } from '../timeline/timeline.js';
import { LatencyHistogram } from '../stats/latency-histogram.js';
import { runWindows } from './chaos-window.js';

export interface Outage {
  from: number;
  to: number;
  ms: number;
  /** The window ended before a success came back. */
  open: boolean;
}

/**
 * Longest outage: successful answers ordered by completion time (t + ms); an outage is the span
 * between two consecutive successful completions that contains at least one failed request sent
 * between them. During `docker pause` requests hang (the kernel completes the TCP handshake for a
 * frozen process) and the backlog is answered at unpause, so the first success after a 5 s pause
 * completes at unpause time and the outage measures ≈ 5 s whatever the probe timeout. If no success
 * follows a failure before the window ends, the outage runs to the window end (open).
 */
export function outages(requests: readonly RequestEntry[], start: number, end: number): Outage[] {
  const successes = requests.filter((request) => request.data.ok).map((request) => request.t + request.data.ms).sort((a, b) => a - b);
  const failures = requests.filter((request) => !request.data.ok && request.t >= start && request.t < end).map((request) => request.t).sort((a, b) => a - b);
  const found: Outage[] = [];
  let failureIndex = 0;
  while (failureIndex < failures.length) {
    const failedAt = failures[failureIndex]!;
    const before = lastBefore(successes, failedAt) ?? start;
    const after = successes.find((completion) => completion > failedAt);
    const to = after === undefined || after > end ? end : after;
    found.push({ from: Math.max(before, start), to, ms: to - Math.max(before, start), open: after === undefined || after > end });
    while (failureIndex < failures.length && failures[failureIndex]! < to) failureIndex++;
  }
  return found;
}

function lastBefore(sorted: readonly number[], t: number): number | undefined {
  let found: number | undefined;
  for (const value of sorted) {
    if (value > t) break;
    found = value;
  }
  return found;
}

export interface LatencyFigures {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface TrafficFigures {
  sent: number;
  ok: number;
  failed: number;
  successRatio: number | null;
  longestOutage: Outage | null;
  latency: LatencyFigures;
  baselineLatency: LatencyFigures;
  /** The load's buckets during chaos; latency merged from their histograms (null without, e.g. an old report). */
  load: { sent: number; ok: number; failed: number; latency: LatencyFigures | null };
  byInstance: Record<string, number>;
}

// Latency percentiles are HdrHistogram's (src/stats/latency-histogram.ts), the same definition for
// the probe's raw requests and the load's merged buckets.
function latencyOf(requests: readonly RequestEntry[]): LatencyFigures {
  const { p50, p95, p99 } = LatencyHistogram.ofMs(requests.filter((request) => request.data.ok).map((request) => request.data.ms)).summary();
  return { p50, p95, p99 };
}

/** The load buckets' latency, merged; null when a bucket with answers has no histogram (written before there were). */
function loadLatencyOf(buckets: readonly LoadBucketEntry[]): LatencyFigures | null {
  const merged = LatencyHistogram.empty();
  for (const bucket of buckets) {
    if (bucket.data.ok === 0) continue;
    if (bucket.data.histogram === undefined) return null;
    merged.add(LatencyHistogram.decode(bucket.data.histogram));
  }
  const { p50, p95, p99 } = merged.summary();
  return { p50, p95, p99 };
}

/**
 * Traffic during chaos: from the first fault's start to the end of observation — or, with
 * `window`, between those instants (ms from run start; e.g. "after the scale-out").
 */
export function trafficFigures(entries: readonly TimelineEntry[], window: { from?: number; to?: number } = {}): TrafficFigures {
  const runWindow = runWindows(entries);
  const windows = { ...runWindow, end: Math.min(runWindow.end, window.to ?? Infinity) };
  const start = window.from ?? runWindow.chaosStart ?? runWindow.end;
  const requests = entriesOf(entries, 'request');
  const chaos = requests.filter((request) => request.t >= start && request.t < windows.end);
  // The baseline is before the first fault, whatever window is judged.
  const baseline = requests.filter((request) => request.t >= windows.baselineStart && request.t < (runWindow.chaosStart ?? start));
  const ok = chaos.filter((request) => request.data.ok).length;
  const found = outages(requests, start, windows.end);
  const buckets = entriesOf(entries, 'load-bucket').filter((bucket) => bucket.t >= start && bucket.t < windows.end);
  const byInstance: Record<string, number> = {};
  for (const request of chaos) if (request.data.instance) byInstance[request.data.instance] = (byInstance[request.data.instance] ?? 0) + 1;
  for (const bucket of buckets) for (const [instance, count] of Object.entries(bucket.data.byInstance)) byInstance[instance] = (byInstance[instance] ?? 0) + count;
  return {
    sent: chaos.length,
    ok,
    failed: chaos.length - ok,
    successRatio: chaos.length === 0 ? null : ok / chaos.length,
    longestOutage: found.reduce<Outage | null>((longest, outage) => (longest === null || outage.ms > longest.ms ? outage : longest), null),
    latency: latencyOf(chaos),
    baselineLatency: latencyOf(baseline),
    load: {
      ...buckets.reduce((sum, bucket) => ({ sent: sum.sent + bucket.data.sent, ok: sum.ok + bucket.data.ok, failed: sum.failed + bucket.data.failed }), { sent: 0, ok: 0, failed: 0 }),
      latency: loadLatencyOf(buckets),
    },
    byInstance,
  };
}
