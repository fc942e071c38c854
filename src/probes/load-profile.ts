import type { LoadSpec } from '../experiments/schema.js';

// The load shapes as pure functions of time since the load started (ms): the rate in force and the
// number of requests due so far (the integral of the rate), so sending keeps to the schedule.

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
