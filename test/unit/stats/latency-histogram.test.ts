import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LatencyHistogram, mergeEncoded, SIGNIFICANT_DIGITS } from '../../../src/stats/latency-histogram.js';

/** The nearest-rank percentile of raw samples (µs), the definition HdrHistogram follows. */
function nearestRank(sortedUs: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sortedUs.length));
  return sortedUs[rank - 1]!;
}

/**
 * Raw sample and histogram value agree within the histogram's precision: 10^-digits of the value,
 * at least 1 µs (a percentile is reported as the highest value of the sample's HDR bucket, p0 as
 * its lowest).
 */
function withinPrecision(histogramMs: number, rawUs: number): boolean {
  const tolerance = Math.max(1, rawUs * 10 ** -SIGNIFICANT_DIGITS);
  return Math.abs(histogramMs * 1000 - rawUs) <= tolerance + 1e-6;
}

// Latencies as a load bucket sees them: mostly ms, some sub-ms, a long tail up to a timeout.
const latencyMs = fc.oneof(
  fc.double({ min: 0.001, max: 5, noNaN: true }),
  fc.double({ min: 5, max: 200, noNaN: true }),
  fc.double({ min: 200, max: 30_000, noNaN: true }),
);

describe('latency histograms', () => {
  it('merged, encoded histograms give the percentiles of the union of their raw samples, within the precision', () => {
    fc.assert(
      fc.property(fc.array(fc.array(latencyMs, { minLength: 0, maxLength: 300 }), { minLength: 1, maxLength: 8 }), fc.constantFrom(0, 1, 50, 90, 95, 99, 99.9, 100), (parts, p) => {
        // Each part is one bucket of one pod: recorded, encoded, shipped, decoded, merged.
        const merged = mergeEncoded(parts.map((samples) => LatencyHistogram.ofMs(samples).encode()));
        const union = parts.flat().map((ms) => Math.max(1, Math.round(ms * 1000))).sort((a, b) => a - b);
        expect(merged.count).toBe(union.length);
        if (union.length === 0) return merged.percentileMs(p) === null;
        return withinPrecision(merged.percentileMs(p)!, nearestRank(union, p)) && withinPrecision(merged.maxMs()!, union.at(-1)!);
      }),
      { numRuns: 300 },
    );
  });

  it('adds counts exactly, whatever the order of merging', () => {
    fc.assert(
      fc.property(fc.array(fc.array(latencyMs, { maxLength: 50 }), { minLength: 2, maxLength: 5 }), (parts) => {
        const forward = mergeEncoded(parts.map((samples) => LatencyHistogram.ofMs(samples).encode()));
        const backward = mergeEncoded([...parts].reverse().map((samples) => LatencyHistogram.ofMs(samples).encode()));
        return forward.encode() === backward.encode() && forward.count === parts.flat().length;
      }),
      { numRuns: 100 },
    );
  });

  it('reports the highest value equivalent to the sample at nearest rank, and null when empty', () => {
    const histogram = LatencyHistogram.ofMs([1, 2, 2, 3, 4]);
    // Up to 2.047 ms every µs is its own value; above, pairs of µs share one (2048 sub-buckets for 3 digits).
    expect(histogram.summary()).toEqual({ p50: 2, p95: 4.001, p99: 4.001, max: 4.001 });
    expect(LatencyHistogram.empty().summary()).toEqual({ p50: null, p95: null, p99: null, max: null });
    expect(LatencyHistogram.decode(LatencyHistogram.empty().encode()).count).toBe(0);
    // 0.4 µs rounds to 0: it counts as the smallest value, 1 µs.
    expect(LatencyHistogram.ofMs([0.0004]).percentileMs(50)).toBe(0.001);
  });

  it('encodes a bucket of thousands of requests in a few hundred bytes', () => {
    const samples = Array.from({ length: 2500 }, (_, index) => 1 + ((index * 7919) % 4000) / 1000);
    const encoded = LatencyHistogram.ofMs(samples).encode();
    expect(encoded.length).toBeLessThan(3000);
    expect(LatencyHistogram.decode(encoded).count).toBe(2500);
  });

  it('grows past 60 s instead of throwing', () => {
    const histogram = LatencyHistogram.ofMs([120_000]);
    expect(withinPrecision(histogram.percentileMs(50)!, 120_000_000)).toBe(true);
  });
});
