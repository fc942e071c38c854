import type { ResourceSampleEntry, TimelineEntry } from '../../timeline/timeline.js';
import { entriesOf } from '../../timeline/timeline.js';

// The resource chart's data: per touched instance, what its cgroup used between two samples (cores,
// share of CFS periods throttled) and held (memory), with the limits in force, on one x axis.

/** One instance's series, aligned on the chart's x (null: no sample of it at that x). */
export interface InstanceResources {
  name: string;
  /** CPU used over the interval ending at x, in cores. */
  cores: (number | null)[];
  /** Share of the interval's CFS periods in which the cgroup was throttled, %. */
  throttledPercent: (number | null)[];
  memoryMiB: (number | null)[];
  cpuLimitCores: (number | null)[];
  memoryLimitMiB: (number | null)[];
}

export interface ResourceChartData {
  /** Seconds since run start: the ends of the sampled intervals, every instance's, sorted. */
  x: number[];
  instances: InstanceResources[];
}

const MiB = 1024 * 1024;
// Shown, not re-measured: three decimals of a core, a tenth of a MiB, a tenth of a percent.
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

interface Point {
  x: number;
  cores: number;
  throttledPercent: number;
  memoryMiB: number;
  cpuLimitCores: number | null;
  memoryLimitMiB: number | null;
}

/**
 * The counters are cumulative since the container's cgroup was made; a counter that went down means
 * the container restarted in between (a new cgroup counting from 0), and then its new value is
 * what was used since: a slight undercount for that one interval, not a gap.
 */
function points(samples: readonly ResourceSampleEntry[]): Point[] {
  const found: Point[] = [];
  for (let index = 1; index < samples.length; index++) {
    const before = samples[index - 1]!.data;
    const after = samples[index]!.data;
    const ms = samples[index]!.t - samples[index - 1]!.t;
    if (ms <= 0) continue;
    const delta = (now: number, then: number) => (now >= then ? now - then : now);
    const periods = delta(after.periods, before.periods);
    found.push({
      x: round(samples[index]!.t / 1000, 3),
      cores: round(delta(after.cpuUsageMs, before.cpuUsageMs) / ms, 3),
      throttledPercent: periods === 0 ? 0 : round((100 * delta(after.throttledPeriods, before.throttledPeriods)) / periods, 1),
      memoryMiB: round(after.memoryBytes / MiB, 1),
      cpuLimitCores: after.cpuLimitMillicores === undefined ? null : after.cpuLimitMillicores / 1000,
      memoryLimitMiB: after.memoryLimitBytes === undefined ? null : round(after.memoryLimitBytes / MiB, 1),
    });
  }
  return found;
}

/** The chart data of a run's resource samples, or null when it has none. */
export function resourceChartData(entries: readonly TimelineEntry[]): ResourceChartData | null {
  const bySubject = new Map<string, ResourceSampleEntry[]>();
  for (const sample of entriesOf(entries, 'resource-sample')) {
    const name = sample.subject ?? '?';
    bySubject.set(name, [...(bySubject.get(name) ?? []), sample]);
  }
  const series = [...bySubject.entries()].map(([name, samples]) => ({ name, points: points(samples) })).filter((entry) => entry.points.length > 0);
  if (series.length === 0) return null;
  const x = [...new Set(series.flatMap((entry) => entry.points.map((point) => point.x)))].sort((a, b) => a - b);
  const instances = series
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(({ name, points: own }) => {
      const at = new Map(own.map((point) => [point.x, point]));
      const column = <K extends keyof Omit<Point, 'x'>>(key: K) => x.map((value) => at.get(value)?.[key] ?? null);
      return { name, cores: column('cores'), throttledPercent: column('throttledPercent'), memoryMiB: column('memoryMiB'), cpuLimitCores: column('cpuLimitCores'), memoryLimitMiB: column('memoryLimitMiB') };
    });
  return { x, instances };
}
