import { describe, expect, it } from 'vitest';
import { dueBy, rateAt } from '../../../src/probes/load-profile.js';

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
