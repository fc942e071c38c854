import { entriesOf, type RequestEntry, type TimelineEntry } from '../timeline/timeline.js';

// The steady state, defined once (DESIGN.md "Measures"): ready replicas >= desired AND the traffic
// probe succeeding. "Probe succeeding" over an interval means: no request sent in it failed, and
// — when the run has a probe — at least one request sent in it succeeded.

export interface ReplicaStep {
  t: number;
  desired: number;
  ready: number;
}

export function replicaSteps(entries: readonly TimelineEntry[]): ReplicaStep[] {
  return entriesOf(entries, 'replicas').map((entry) => ({ t: entry.t, desired: entry.data.desired, ready: entry.data.ready }));
}

/** Ready/desired in force at time t (the last step at or before t). */
export function replicasAt(steps: readonly ReplicaStep[], t: number): ReplicaStep | undefined {
  let found: ReplicaStep | undefined;
  for (const step of steps) {
    if (step.t > t) break;
    found = step;
  }
  return found;
}

/**
 * Maximal intervals [from, to) within [start, end) during which the steady state is broken: replicas
 * below desired, or a probe request sent then failed. Sorted and merged.
 */
export function brokenIntervals(entries: readonly TimelineEntry[], start: number, end: number): [number, number][] {
  const intervals: [number, number][] = [];
  const steps = replicaSteps(entries);
  for (let index = 0; index < steps.length; index++) {
    const step = steps[index]!;
    const next = steps[index + 1]?.t ?? Infinity;
    if (step.ready < step.desired) intervals.push([Math.max(step.t, start), Math.min(next, end)]);
  }
  const requests = entriesOf(entries, 'request');
  for (const request of requests) {
    // A failed request breaks the steady state from when it was sent until it failed.
    if (!request.data.ok && request.t < end && request.t + request.data.ms >= start) {
      intervals.push([Math.max(request.t, start), Math.min(request.t + Math.max(request.data.ms, 1), end)]);
    }
  }
  return merge(intervals.filter(([from, to]) => to > from));
}

function merge(intervals: [number, number][]): [number, number][] {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const interval of sorted) {
    const last = merged.at(-1);
    if (last && interval[0] <= last[1]) last[1] = Math.max(last[1], interval[1]);
    else merged.push([...interval]);
  }
  return merged;
}

/** Whether some probe request sent in [from, to) succeeded (vacuously true when there is no probe). */
export function probeSucceededIn(requests: readonly RequestEntry[], from: number, to: number): boolean {
  if (requests.length === 0) return true;
  return requests.some((request) => request.data.ok && request.t >= from && request.t < to);
}

/**
 * Recovery instant after a fault at `faultT`: the first T >= faultT such that the steady state holds
 * on [T, T + settle] and T + settle <= end. Undefined when never.
 */
export function recoveryInstant(entries: readonly TimelineEntry[], faultT: number, settleMs: number, end: number): number | undefined {
  const broken = brokenIntervals(entries, faultT, end);
  const requests = entriesOf(entries, 'request');
  const candidates = [faultT, ...broken.map(([, to]) => to)];
  for (const candidate of candidates) {
    if (candidate + settleMs > end) return undefined;
    const interrupted = broken.some(([from, to]) => from < candidate + settleMs && to > candidate);
    if (interrupted) continue;
    if (!probeSucceededIn(requests, candidate, candidate + settleMs)) continue;
    return candidate;
  }
  return undefined;
}
