import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';

// Latency as an HDR histogram (Gil Tene's HdrHistogram, through its TypeScript port): whole
// microseconds, 3 significant digits, so every value is kept within 0.1 %; it grows by itself past
// 60 s. Unlike percentiles, histograms of different buckets, pods or runs merge exactly (their
// counts add up), and one encodes into a few hundred bytes of base64 (HdrHistogram's compressed
// V2 format, readable by its other ports). Percentiles are HdrHistogram's own: the value at the
// nearest rank (ceil(p/100 · n)), reported as the highest value equivalent to it at that precision.

/** 0.1 %: the precision every latency percentile of rebound is given at. */
export const SIGNIFICANT_DIGITS = 3;
const HIGHEST_TRACKABLE_US = 60_000_000;

const US_PER_MS = 1000;

function emptyHistogram(): Histogram {
  return build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_TRACKABLE_US, numberOfSignificantValueDigits: SIGNIFICANT_DIGITS, autoResize: true });
}

export class LatencyHistogram {
  private constructor(private readonly histogram: Histogram) {}

  static empty(): LatencyHistogram {
    return new LatencyHistogram(emptyHistogram());
  }

  /** A histogram of latencies given in ms (raw observations such as probe requests). */
  static ofMs(values: Iterable<number>): LatencyHistogram {
    const histogram = LatencyHistogram.empty();
    for (const ms of values) histogram.recordMs(ms);
    return histogram;
  }

  /** Reads what `encode()` wrote; throws on anything else (a report edited by hand). */
  static decode(encoded: string): LatencyHistogram {
    return new LatencyHistogram(decodeFromCompressedBase64(encoded));
  }

  /** Records one latency (ms, fractional). Sub-microsecond and negative values count as 1 µs: they were at least that. */
  recordMs(ms: number): void {
    this.histogram.recordValue(Math.max(1, Math.round(ms * US_PER_MS)));
  }

  /** Adds another histogram's counts into this one. */
  add(other: LatencyHistogram): this {
    this.histogram.add(other.histogram);
    return this;
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  /** The p-th percentile in ms (HdrHistogram's nearest rank), null when nothing was recorded. */
  percentileMs(p: number): number | null {
    if (this.count === 0) return null;
    return this.histogram.getValueAtPercentile(p) / US_PER_MS;
  }

  /**
   * The largest value recorded, in ms, null when nothing was: the 100th percentile, i.e. the highest
   * value equivalent to it, the same before and after encoding (a decoded histogram knows no more).
   */
  maxMs(): number | null {
    return this.percentileMs(100);
  }

  /** p50, p95, p99 and max in ms, each null when nothing was recorded. */
  summary(): { p50: number | null; p95: number | null; p99: number | null; max: number | null } {
    return { p50: this.percentileMs(50), p95: this.percentileMs(95), p99: this.percentileMs(99), max: this.maxMs() };
  }

  /** Compact base64 (HdrHistogram's compressed V2 encoding). */
  encode(): string {
    return encodeIntoCompressedBase64(this.histogram);
  }

  /** Empties it for reuse (a histogram is ~70 KB of counts: the load generator recycles them). */
  reset(): void {
    this.histogram.reset();
  }
}

/** The merge of encoded histograms (load buckets of one chart bin, of several pods, of a window). */
export function mergeEncoded(encoded: Iterable<string>): LatencyHistogram {
  const merged = LatencyHistogram.empty();
  for (const text of encoded) merged.add(LatencyHistogram.decode(text));
  return merged;
}
