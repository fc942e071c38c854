import { describe, expect, it } from 'vitest';
import { resourceChartData } from '../../../src/reporters/html/resource-series.js';
import type { ResourceSampleEntry } from '../../../src/timeline/timeline.js';

const MiB = 1024 * 1024;
const sample = (subject: string, t: number, cpuUsageMs: number, periods: number, throttledPeriods: number, memoryMiB: number): ResourceSampleEntry => ({
  t,
  source: 'target',
  kind: 'resource-sample',
  subject,
  data: { cpuUsageMs, periods, throttledPeriods, throttledMs: 0, memoryBytes: memoryMiB * MiB, memoryLimitBytes: 64 * MiB, cpuLimitMillicores: 200 },
});

describe('the resource chart data', () => {
  it('turns cumulative counters into cores and throttled share per interval, on one x for every instance', () => {
    const data = resourceChartData([
      sample('web-0', 500, 10, 5, 0, 2),
      sample('web-1', 520, 0, 0, 0, 3),
      sample('web-0', 1000, 110, 10, 5, 40),
      sample('web-1', 1020, 1, 5, 0, 3),
    ]);
    expect(data).toEqual({
      x: [1, 1.02],
      instances: [
        { name: 'web-0', cores: [0.2, null], throttledPercent: [100, null], memoryMiB: [40, null], cpuLimitCores: [0.2, null], memoryLimitMiB: [64, null] },
        { name: 'web-1', cores: [null, 0.002], throttledPercent: [null, 0], memoryMiB: [null, 3], cpuLimitCores: [null, 0.2], memoryLimitMiB: [null, 64] },
      ],
    });
  });

  it('counts from the new cgroup after a restart (counters went down), and has nothing without samples', () => {
    const data = resourceChartData([sample('web-0', 0, 500, 100, 10, 30), sample('web-0', 500, 20, 5, 1, 1)]);
    expect(data?.instances[0]).toMatchObject({ cores: [0.04], throttledPercent: [20] });
    expect(resourceChartData([])).toBeNull();
    expect(resourceChartData([sample('web-0', 0, 1, 1, 0, 1)])).toBeNull(); // one sample has no interval
  });
});
