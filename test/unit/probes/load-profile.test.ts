import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LoadSpec } from '../../../src/experiments/schema.js';
import { dueBy, intendedAt, loadSchedule, rateAt } from '../../../src/probes/load-profile.js';

const spike = { profile: 'spike' as const, rate: 50, peak: 2000, at: 5000, hold: 10_000, duration: 25_000, connections: 50, timeout: 2000 };

describe('load profiles', () => {
  it('spike: base, peak, base', () => {
    expect([rateAt(spike, 1000), rateAt(spike, 6000), rateAt(spike, 16_000), rateAt(spike, 30_000)]).toEqual([50, 2000, 50, 0]);
    expect(dueBy(spike, 5000)).toBe(250);
    expect(dueBy(spike, 15_000)).toBe(250 + 20_000);
    expect(dueBy(spike, 99_000)).toBe(250 + 20_000 + 500);
  });

  it('ramp integrates linearly', () => {
    const ramp = { profile: 'ramp' as const, from: 0, to: 100, duration: 10_000, connections: 10, timeout: 1000 };
    expect(dueBy(ramp, 10_000)).toBe(500);
    expect(rateAt(ramp, 5000)).toBe(50);
  });
});

describe('intended send times and shares', () => {
  const specs = fc.oneof(
    fc.record({ profile: fc.constant('constant' as const), rate: fc.integer({ min: 1, max: 5000 }), duration: fc.integer({ min: 100, max: 20_000 }) }),
    fc.record({ profile: fc.constant('ramp' as const), from: fc.integer({ min: 0, max: 3000 }), to: fc.integer({ min: 0, max: 3000 }), duration: fc.integer({ min: 100, max: 20_000 }) }),
    fc.record({
      profile: fc.constant('spike' as const),
      rate: fc.integer({ min: 0, max: 500 }),
      peak: fc.integer({ min: 1, max: 5000 }),
      at: fc.integer({ min: 0, max: 10_000 }),
      hold: fc.integer({ min: 1, max: 10_000 }),
      duration: fc.integer({ min: 100, max: 20_000 }),
    }),
  ).map((spec) => ({ ...spec, connections: 10, timeout: 1000 }) as LoadSpec);

  it('request k falls due exactly when dueBy passes k', () => {
    fc.assert(
      fc.property(specs, fc.double({ min: 0, max: 1, noNaN: true }), (spec, fraction) => {
        const total = dueBy(spec, spec.duration);
        if (total === 0) return intendedAt(spec, 0) === Infinity;
        const k = Math.min(total - 1, Math.floor(fraction * total));
        const t = intendedAt(spec, k);
        // Within a µs either side (floating point): not due just before, due just after.
        return t >= 0 && t <= spec.duration && dueBy(spec, t - 0.001) <= k && dueBy(spec, t + 0.001) >= k + 1 && intendedAt(spec, total) === Infinity;
      }),
    );
  });

  it('worker shares interleave: at any instant they add up to the whole schedule', () => {
    fc.assert(
      fc.property(specs, fc.integer({ min: 1, max: 8 }), fc.double({ min: 0, max: 1.2, noNaN: true }), (spec, workers, fraction) => {
        const t = fraction * spec.duration;
        const shares = Array.from({ length: workers }, (_, index) => loadSchedule(spec, { index, of: workers }));
        const sum = shares.reduce((total, share) => total + share.dueBy(t), 0);
        // Worker i's j-th request is the whole schedule's request j·N + i.
        const whole = loadSchedule(spec);
        const due = whole.dueBy(t);
        const picked = due === 0 ? true : shares[(due - 1) % workers]!.intendedAt(Math.floor((due - 1) / workers)) === whole.intendedAt(due - 1);
        const fastPath = due === 0 || whole.intendedAt(due - 1) === intendedAt(spec, due - 1);
        return sum === due && picked && fastPath && Math.abs(shares.reduce((rate, share) => rate + share.rateAt(t), 0) - whole.rateAt(t)) < 1e-9;
      }),
    );
  });

  it('a constant rate is due every 1/rate', () => {
    const constant = { profile: 'constant' as const, rate: 200, duration: 1000, connections: 1, timeout: 1000 };
    expect([0, 1, 199].map((k) => intendedAt(constant, k))).toEqual([5, 10, 1000]);
    expect(loadSchedule(constant, { index: 1, of: 4 }).intendedAt(0)).toBe(10);
  });
});
