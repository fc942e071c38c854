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

describe('bootstrap interval of the median, against values worked out by hand', () => {
  it('is the value itself for a constant sample', () => {
    expect(summarize([5, 5, 5, 5]).ci95).toEqual([5, 5]);
  });

  it('spans the whole sample for three values: each extreme is the resampled median with probability 7/27 > 2.5 %', () => {
    // P(median of 3 draws = 1) = P(at least two 1s) = 3·(1/3)²·(2/3) + (1/3)³ = 7/27.
    expect(summarize([1, 2, 3], { resamples: 4000 }).ci95).toEqual([1, 3]);
  });

  it('narrows around the median for a large sample (the interval of the median of 1..101 lies within 40..62)', () => {
    const values = Array.from({ length: 101 }, (_, index) => index + 1);
    const [low, high] = summarize(values, { resamples: 2000 }).ci95!;
    // Binomial approximation: median ± 1.96·sqrt(n)/2 ≈ 51 ± 10.
    expect(low).toBeGreaterThanOrEqual(40);
    expect(high).toBeLessThanOrEqual(62);
    expect(low).toBeLessThan(51);
    expect(high).toBeGreaterThan(51);
  });
});
