import { describe, expect, it } from 'vitest';
import { percentile } from '../../../src/stats/percentile.js';
import { summarize } from '../../../src/stats/summarize.js';

describe('statistics', () => {
  it('interpolates percentiles like numpy (linear)', () => {
    // numpy.percentile([1, 2, 3, 4, 10], [50, 90, 95]) = 3, 7.6, 8.8
    expect(percentile([10, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 10], 90)).toBeCloseTo(7.6);
    expect(percentile([1, 2, 3, 4, 10], 95)).toBeCloseTo(8.8);
    expect(percentile([], 50)).toBeNull();
  });

  it('counts never-recovered iterations instead of averaging them in', () => {
    const summary = summarize([1200, null, 800, 1000, null]);
    expect(summary).toMatchObject({ n: 3, median: 1000, min: 800, max: 1200, notRecovered: 2 });
  });

  it('gives a reproducible bootstrap interval that contains the median', () => {
    const values = [310, 320, 330, 305, 400, 315, 322];
    const a = summarize(values, { seed: 7 });
    expect(a).toEqual(summarize(values, { seed: 7 }));
    expect(a.ci95![0]).toBeLessThanOrEqual(a.median!);
    expect(a.ci95![1]).toBeGreaterThanOrEqual(a.median!);
  });
});
