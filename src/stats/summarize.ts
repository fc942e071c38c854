import { percentileOfSorted } from './percentile.js';

export interface Summary {
  n: number;
  median: number | null;
  p95: number | null;
  min: number | null;
  max: number | null;
  /** Bootstrap 95 % interval of the median (percentile method). */
  ci95: [number, number] | null;
  /** Iterations that never recovered: counted, never averaged in. */
  notRecovered: number;
}

/** Small seeded PRNG (mulberry32) so bootstrap intervals are reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function summarize(values: readonly (number | null)[], options: { seed?: number; resamples?: number } = {}): Summary {
  const numbers = values.filter((value): value is number => value !== null && Number.isFinite(value)).sort((a, b) => a - b);
  const notRecovered = values.length - numbers.length;
  if (numbers.length === 0) return { n: 0, median: null, p95: null, min: null, max: null, ci95: null, notRecovered };
  return {
    n: numbers.length,
    median: percentileOfSorted(numbers, 50),
    p95: percentileOfSorted(numbers, 95),
    min: numbers[0]!,
    max: numbers.at(-1)!,
    ci95: bootstrapMedianInterval(numbers, options.seed ?? 1, options.resamples ?? 2000),
    notRecovered,
  };
}

function bootstrapMedianInterval(sorted: readonly number[], seed: number, resamples: number): [number, number] {
  const random = seededRandom(seed);
  const medians: number[] = [];
  const sample = new Array<number>(sorted.length);
  for (let round = 0; round < resamples; round++) {
    for (let index = 0; index < sorted.length; index++) sample[index] = sorted[Math.floor(random() * sorted.length)]!;
    sample.sort((a, b) => a - b);
    medians.push(percentileOfSorted(sample, 50)!);
  }
  medians.sort((a, b) => a - b);
  return [percentileOfSorted(medians, 2.5)!, percentileOfSorted(medians, 97.5)!];
}
