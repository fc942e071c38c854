import { describe, expect, it } from 'vitest';
import { entriesOf, Timeline } from '../../../src/timeline/timeline.js';
import { LoadBuckets } from '../../../src/probes/load-buckets.js';
import { loadSchedule } from '../../../src/probes/load-profile.js';
import { LatencyHistogram } from '../../../src/stats/latency-histogram.js';

const spec = { profile: 'ramp' as const, from: 0, to: 100, duration: 1000, connections: 10, timeout: 1000 };

function buckets() {
  const timeline = new Timeline({ now: () => 0, fromWallClock: (epochMs) => epochMs });
  return { timeline, recorder: new LoadBuckets(loadSchedule(spec), timeline, 1000), written: () => entriesOf(timeline.entries, 'load-bucket') };
}

describe('load buckets', () => {
  it('counts each request in the bucket it was sent in, with latency percentiles, their histogram and instances', () => {
    const { recorder, written } = buckets();
    for (let ms = 1; ms <= 4; ms++) recorder.sentAt(10).answered(ms, 'web-1');
    recorder.sentAt(99).failedWith('ECONNRESET');
    recorder.sentAt(150).answered(7, undefined);
    recorder.flush(250);
    // HdrHistogram percentiles: nearest rank, the highest value equivalent to it (4 ms → 4.001 at 3 digits).
    expect(written()).toEqual([
      { t: 1000, source: 'load', kind: 'load-bucket', data: { bucketMs: 100, sent: 5, ok: 4, failed: 1, latencyMs: { p50: 2, p95: 4.001, p99: 4.001, max: 4.001 }, histogram: expect.any(String), byInstance: { 'web-1': 4 }, targetRate: 0 } },
      { t: 1100, source: 'load', kind: 'load-bucket', data: { bucketMs: 100, sent: 1, ok: 1, failed: 0, latencyMs: { p50: 7.003, p95: 7.003, p99: 7.003, max: 7.003 }, histogram: expect.any(String), byInstance: {}, targetRate: 10 } },
    ]);
    expect(LatencyHistogram.decode(written()[0]!.data.histogram!).count).toBe(4);
  });

  it('writes no histogram for a bucket where nothing was answered, and reuses histograms without mixing buckets', () => {
    const { recorder, written } = buckets();
    recorder.sentAt(10).failedWith('ECONNREFUSED');
    recorder.flush(150);
    recorder.sentAt(150).answered(3, undefined);
    recorder.flush(250);
    recorder.sentAt(250).answered(5, undefined);
    recorder.flush(350);
    expect(written()[0]!.data.histogram).toBeUndefined();
    expect(written()[0]!.data.latencyMs).toEqual({ p50: 0, p95: 0, p99: 0, max: 0 });
    expect(written().slice(1).map((entry) => [LatencyHistogram.decode(entry.data.histogram!).count, entry.data.latencyMs.max])).toEqual([
      [1, 3.001],
      [1, 5.003],
    ]);
  });

  it('records versions and node crossings only when an answer named them', () => {
    const { recorder, written } = buckets();
    const first = recorder.sentAt(10);
    first.answered(1, 'web-1');
    first.answeredFrom('v1', true);
    recorder.sentAt(20).answered(1, 'web-1');
    const third = recorder.sentAt(30);
    third.answered(1, 'web-1');
    third.answeredFrom('v2', false);
    recorder.sentAt(150).answered(1, 'web-1');
    recorder.flush(250);
    expect(written()[0]!.data).toMatchObject({ byVersion: { v1: 1, v2: 1 }, crossedNodes: { crossed: 1, same: 1 } });
    expect(written()[1]!.data).not.toHaveProperty('byVersion');
    expect(written()[1]!.data).not.toHaveProperty('crossedNodes');
  });

  it('writes a bucket once it has ended and nothing sent in it is in flight, in time order', () => {
    const { recorder, written } = buckets();
    const first = recorder.sentAt(50);
    recorder.sentAt(120).answered(1, undefined);
    recorder.flush(90);
    expect(written()).toEqual([]);
    recorder.flush(500);
    expect(written()).toEqual([]);
    first.failedWith('timeout');
    recorder.flush(500);
    expect(written().map((entry) => [entry.t, entry.data.sent, entry.data.failed])).toEqual([
      [1000, 1, 1],
      [1100, 1, 0],
    ]);
  });

  it('adds up failures by reason as buckets are written; all writes what is left', () => {
    const { recorder, written } = buckets();
    recorder.sentAt(10).failedWith('ECONNREFUSED');
    recorder.sentAt(20).failedWith('ECONNREFUSED');
    recorder.sentAt(210).failedWith('HTTP 503');
    recorder.sentAt(220);
    recorder.flush(Infinity, true);
    expect(written()).toHaveLength(2);
    expect([...recorder.failures]).toEqual([
      ['ECONNREFUSED', 2],
      ['HTTP 503', 1],
    ]);
  });
});
