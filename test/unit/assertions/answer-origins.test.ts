import { describe, expect, it } from 'vitest';
import { answerOrigins, crossedNodeShare } from '../../../src/assertions/answer-origins.js';
import type { TimelineEntry } from '../../../src/timeline/timeline.js';
import { TimelineBuilder } from './timeline-builder.js';

const request = (t: number, data: Partial<{ ok: boolean; version: string; crossedNodes: boolean }>): TimelineEntry => ({ t, source: 'probe', kind: 'request', data: { ms: 5, ok: true, ...data } });
const bucket = (t: number, extra: { byVersion?: Record<string, number>; crossedNodes?: { crossed: number; same: number } }): TimelineEntry => ({
  t,
  source: 'load',
  kind: 'load-bucket',
  data: { bucketMs: 100, sent: 10, ok: 10, failed: 0, latencyMs: { p50: 1, p95: 1, p99: 1, max: 1 }, byInstance: {}, targetRate: 100, ...extra },
});

function timeline(...entries: TimelineEntry[]): TimelineEntry[] {
  const built = new TimelineBuilder().phase(0, 'baseline').fault(1000, 'crash', ['api-1']).phase(5000, 'rollback').build();
  return [...built, ...entries].sort((a, b) => a.t - b.t);
}

describe('answer origins', () => {
  it('counts answered probe requests and load buckets per version, during chaos only', () => {
    const origins = answerOrigins(
      timeline(
        request(500, { version: 'v1' }),
        request(1500, { version: 'v1' }),
        request(1600, { version: 'v2' }),
        request(1700, { ok: false, version: 'v2' }),
        request(5500, { version: 'v2' }),
        bucket(2000, { byVersion: { v2: 7, v1: 3 } }),
        bucket(900, { byVersion: { v1: 10 } }),
      ),
    );
    expect(origins.byVersion).toEqual({ v1: 4, v2: 8 });
    expect(origins.crossedNodes).toBeNull();
  });

  it('counts answers whose tiers crossed nodes; null when no answer said (one tier, or a Docker host)', () => {
    const origins = answerOrigins(timeline(request(1500, { crossedNodes: true }), request(1600, { crossedNodes: false }), request(1700, {}), bucket(2000, { crossedNodes: { crossed: 5, same: 3 } })));
    expect(origins.crossedNodes).toEqual({ crossed: 6, same: 4 });
    expect(crossedNodeShare(origins)).toBeCloseTo(0.6);
    expect(crossedNodeShare(answerOrigins(timeline(request(1500, { version: 'v1' }))))).toBeNull();
  });
});
