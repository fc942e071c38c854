import { describe, expect, it } from 'vitest';
import { scaleOutFigures } from '../../../src/assertions/scale-out-figures.js';
import type { TimelineEntry } from '../../../src/timeline/timeline.js';
import { TimelineBuilder } from './timeline-builder.js';

const autoscaler = (t: number, desired: number, current: number, engineTime?: number): TimelineEntry => ({
  t,
  source: 'target',
  kind: 'autoscaler',
  subject: 'web',
  ...(engineTime !== undefined && { engineTime }),
  data: { desired, current, min: 2, max: 6, targetCpuPercent: 50, conditions: {} },
});

describe('scaleOutFigures', () => {
  it('measures from the load rise to the first decision, to its replicas ready, and to the most asked for', () => {
    const builder = new TimelineBuilder().replicas(100, 2, 2).fault(10_000, 'spike-load', []).replicas(21_000, 2, 3).replicas(23_600, 3, 3).replicas(41_100, 3, 6).replicas(44_400, 6, 6).phase(90_000, 'rollback');
    // wallClockAtZero is 1_000_000: lastScaleTime 1_020_100 is t = 20.1 s.
    builder.entries.push(autoscaler(400, 0, 0), autoscaler(11_000, 2, 2), autoscaler(21_000, 3, 2, 1_020_100), autoscaler(41_100, 6, 3, 1_040_100), autoscaler(46_200, 6, 6));
    expect(scaleOutFigures(builder.build())).toEqual({
      loadRiseAt: 10_000,
      initialDesired: 2,
      firstDecisionMs: 11_000,
      firstDecisionEngineMs: 10_100,
      firstDesired: 3,
      firstReadyMs: 13_600,
      maxDesired: 6,
      maxReadyMs: 34_400,
      finalReady: 6,
    });
  });

  it('says null for what did not happen, and undefined without an autoscaler or a fault', () => {
    const builder = new TimelineBuilder().replicas(100, 2, 2).fault(10_000, 'spike-load', []).phase(60_000, 'rollback');
    builder.entries.push(autoscaler(11_000, 2, 2));
    expect(scaleOutFigures(builder.build())).toMatchObject({ firstDecisionMs: null, firstDesired: null, firstReadyMs: null, maxDesired: 2, maxReadyMs: null, finalReady: 2 });
    expect(scaleOutFigures(new TimelineBuilder().fault(1000, 'spike-load', []).build())).toBeUndefined();
  });
});
