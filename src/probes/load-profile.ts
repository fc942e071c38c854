import type { LoadSpec } from '../experiments/schema.js';

// The load shapes as pure functions of time since the load started (ms): the rate in force, the
// number of requests due so far (the integral of the rate), so sending keeps to the schedule, and
// when each request is due, so its latency is measured from then (open model: a request that
// waited for a free connection waited on the client's side, and that wait is part of its latency —
// no coordinated omission).

export function rateAt(spec: LoadSpec, t: number): number {
  if (t < 0 || t >= spec.duration) return 0;
  switch (spec.profile) {
    case 'constant':
      return spec.rate!;
    case 'ramp':
      return spec.from! + ((spec.to! - spec.from!) * t) / spec.duration;
    case 'spike':
      return t >= spec.at! && t < spec.at! + spec.hold! ? spec.peak! : spec.rate!;
  }
}

/** Requests due in [0, t). */
export function dueBy(spec: LoadSpec, t: number): number {
  const until = Math.min(Math.max(t, 0), spec.duration);
  switch (spec.profile) {
    case 'constant':
      return Math.floor((spec.rate! * until) / 1000);
    case 'ramp': {
      const slope = (spec.to! - spec.from!) / spec.duration;
      return Math.floor((spec.from! * until + (slope * until * until) / 2) / 1000);
    }
    case 'spike': {
      const spikeStart = Math.min(spec.at!, until);
      const spikeEnd = Math.min(spec.at! + spec.hold!, until);
      const inSpike = Math.max(0, spikeEnd - spikeStart);
      return Math.floor((spec.rate! * (until - inSpike) + spec.peak! * inSpike) / 1000);
    }
  }
}

/**
 * When request k (0-based) falls due: the first t at which dueBy(t) > k, i.e. where the integral of
 * the rate reaches k + 1 requests. Infinity for a request the profile never asks for.
 */
export function intendedAt(spec: LoadSpec, k: number): number {
  const needed = (k + 1) * 1000; // in request·ms per s: the integral of the rate (req/s) over ms
  if (k + 1 > dueBy(spec, spec.duration)) return Infinity;
  if (spec.profile === 'ramp') {
    const from = spec.from!;
    const slope = (spec.to! - from) / spec.duration;
    // from·t + slope·t²/2 = needed: the smaller non-negative root (a falling ramp reaches it first).
    if (slope === 0) return needed / from;
    return Math.min(spec.duration, (-from + Math.sqrt(Math.max(0, from * from + 2 * slope * needed))) / slope);
  }
  // constant and spike are piecewise constant: walk the segments.
  const segments: [number, number, number][] =
    spec.profile === 'constant'
      ? [[0, spec.duration, spec.rate!]]
      : [
          [0, Math.min(spec.at!, spec.duration), spec.rate!],
          [Math.min(spec.at!, spec.duration), Math.min(spec.at! + spec.hold!, spec.duration), spec.peak!],
          [Math.min(spec.at! + spec.hold!, spec.duration), spec.duration, spec.rate!],
        ];
  let before = 0;
  for (const [from, to, rate] of segments) {
    const inSegment = rate * (to - from);
    if (rate > 0 && before + inSegment >= needed) return from + (needed - before) / rate;
    before += inSegment;
  }
  return spec.duration;
}

/** What a load generator sends: the whole profile, or one worker's share of it. */
export interface LoadSchedule {
  /** ms; nothing is due after it. */
  readonly duration: number;
  /** Requests due in [0, t). */
  dueBy(t: number): number;
  /** When this schedule's request k falls due (ms since the load started). */
  intendedAt(k: number): number;
  /** The rate (req/s) this schedule asks for at t. */
  rateAt(t: number): number;
}

/**
 * The profile's schedule; with `share`, worker `index` of `of` takes every `of`-th request of the
 * whole schedule (requests index, index + of, …): the workers' requests interleave, so their sum
 * is the profile at any instant, not only on average.
 */
export function loadSchedule(spec: LoadSpec, share?: { index: number; of: number }): LoadSchedule {
  const whole = wholeIntendedAt(spec);
  if (share === undefined || share.of === 1) {
    return { duration: spec.duration, dueBy: (t) => dueBy(spec, t), intendedAt: whole, rateAt: (t) => rateAt(spec, t) };
  }
  const { index, of } = share;
  return {
    duration: spec.duration,
    dueBy: (t) => {
      const due = dueBy(spec, t);
      return due > index ? Math.floor((due - 1 - index) / of) + 1 : 0;
    },
    intendedAt: (k) => whole(k * of + index),
    rateAt: (t) => rateAt(spec, t) / of,
  };
}

/** intendedAt for one spec, asked once per request sent: the constant profile without the general walk. */
function wholeIntendedAt(spec: LoadSpec): (k: number) => number {
  if (spec.profile !== 'constant') return (k) => intendedAt(spec, k);
  const total = dueBy(spec, spec.duration);
  const rate = spec.rate!;
  return (k) => (k + 1 > total ? Infinity : ((k + 1) * 1000) / rate);
}
