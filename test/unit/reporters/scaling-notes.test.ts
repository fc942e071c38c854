import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../../src/run/run-result.js';
import { hostShareNotes, scalingNotes } from '../../../src/reporters/scaling-notes.js';
import type { TimelineEntry } from '../../../src/timeline/timeline.js';
import { TimelineBuilder } from '../assertions/timeline-builder.js';

const autoscaler = (t: number, desired: number, current: number): TimelineEntry => ({ t, source: 'target', kind: 'autoscaler', subject: 'web', data: { desired, current, min: 2, max: 6, conditions: {} } });
const asRun = (timeline: TimelineEntry[]) => ({ timeline }) as unknown as RunResult;

describe('scaling notes', () => {
  it('say when the autoscaler acted, with the timers in force, and the p95 before, during and after', () => {
    const builder = new TimelineBuilder().phase(0, 'baseline').replicas(100, 2, 2).requests(0, 10_000, 100, true, 20)
      .fault(10_000, 'spike-load', []).requests(10_000, 24_000, 100, true, 900).replicas(21_000, 2, 4).replicas(24_000, 4, 4).requests(24_000, 30_000, 100, true, 60).phase(30_000, 'rollback');
    builder.entries.push(autoscaler(21_000, 4, 2), { t: 0, source: 'target', kind: 'target-fact', data: { key: 'hpaSyncPeriodMs', value: 5000, explanation: 'the HorizontalPodAutoscaler reconciles every 5.00 s' } });
    expect(scalingNotes(asRun(builder.build()))).toEqual([
      'autoscaler: first scale-out decision 11.00 s after the load rose, to 4 replicas, ready after 14.00 s; at most 4 asked for, ready after 14.00 s; 4 ready at the end — the HorizontalPodAutoscaler reconciles every 5.00 s',
      'probe latency p95: 20 ms before the load rose, 900 ms until the first new replicas were ready (0 of 140 failed), 60 ms once all were ready (0 of 60 failed)',
    ]);
    expect(scalingNotes(asRun(new TimelineBuilder().fault(1000, 'crash', ['web']).build()))).toEqual([]);
  });

  it('say how many of the system pods a failed or drained node held', () => {
    const builder = new TimelineBuilder().fault(1000, 'fail-node', ['worker']).fault(1000, 'crash', ['web-1']);
    builder.entries.push({ t: 0, source: 'target', kind: 'placement', data: { nodes: { worker: ['web-1', 'web-2'], worker2: ['web-3'] }, unscheduled: [] } });
    expect(hostShareNotes(asRun(builder.build()))).toEqual(["node worker held 2 of the system's 3 pods when the run started (fault fail-node)"]);
  });
});
