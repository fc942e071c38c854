import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { entriesOf, Timeline } from '../../../src/timeline/timeline.js';
import type { LoadSpec } from '../../../src/experiments/schema.js';
import { LoadGenerator } from '../../../src/probes/load-generator.js';
import { LatencyHistogram } from '../../../src/stats/latency-histogram.js';
import { type FakeAnswer, FakeLoadTarget } from './fake-load-target.js';

// The run clock follows the fake timers, so the schedule, the ticks and the fake answers move together.
function fakeTimeline(): Timeline {
  const zero = Date.now();
  return new Timeline({ now: () => Date.now() - zero, fromWallClock: (epochMs) => epochMs - zero });
}

function run(spec: Partial<LoadSpec>, answer: (index: number) => FakeAnswer) {
  const timeline = fakeTimeline();
  const target = new FakeLoadTarget(answer);
  const fullSpec: LoadSpec = { profile: 'constant', rate: 100, duration: 1000, connections: 10, timeout: 1000, ...spec };
  const generator = new LoadGenerator('http://127.0.0.1:8080/hello?x=1', fullSpec, timeline, { openConnection: target.open }).start();
  const buckets = () => entriesOf(timeline.entries, 'load-bucket');
  const notes = () => entriesOf(timeline.entries, 'note').map((note) => note.data.text);
  const total = (field: 'sent' | 'ok' | 'failed') => buckets().reduce((sum, bucket) => sum + bucket.data[field], 0);
  return { timeline, target, generator, buckets, notes, total };
}

const answered: FakeAnswer = { after: 2, headers: { 'x-instance': 'web-1' }, body: 'instance web-1\n' };

describe('load generator', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'Date'] }));
  afterEach(() => vi.useRealTimers());

  it('keeps to a constant rate, records every request in 100 ms buckets and stops by itself', async () => {
    const { target, buckets, notes, total } = run({ rate: 500, duration: 2000 }, () => answered);
    await vi.advanceTimersByTimeAsync(2500);
    expect(target.requests).toHaveLength(1000);
    expect(target.requests[0]).toEqual({ path: '/hello?x=1', method: 'GET' });
    // 20 buckets of the 2 s; requests due in the last tick go out at the final tick, in a 21st.
    const inProfile = buckets().slice(0, 20);
    expect(inProfile.every((bucket) => bucket.data.sent >= 45 && bucket.data.sent <= 55 && bucket.data.targetRate === 500)).toBe(true);
    expect(buckets().length).toBeLessThanOrEqual(21);
    expect([total('sent'), total('ok'), total('failed')]).toEqual([1000, 1000, 0]);
    expect(buckets().reduce((sum, bucket) => sum + (bucket.data.byInstance['web-1'] ?? 0), 0)).toBe(1000);
    expect(buckets()[5]!.data.latencyMs).toEqual({ p50: 2, p95: 2, p99: 2, max: 2 });
    expect(notes()).toEqual([]);
    expect(target.closed).toBe(target.connectionOptions.length);
    await vi.advanceTimersByTimeAsync(2000);
    expect(target.requests).toHaveLength(1000);
  });

  it('counts latency from when a request was due, so waiting for a busy connection shows (no coordinated omission)', async () => {
    // One connection, a request due every 5 ms, each answered after 7 ms: every request after the
    // first waits for the connection, and that wait is part of its latency.
    const { buckets } = run({ rate: 200, duration: 500, connections: 1 }, () => ({ ...answered, after: 7 }));
    await vi.advanceTimersByTimeAsync(1000);
    const latency = buckets().map((bucket) => bucket.data.latencyMs);
    expect(latency.every((ms) => ms.p50 >= 7)).toBe(true);
    expect(Math.max(...latency.map((ms) => ms.max))).toBeGreaterThan(9);
    // The encoded histogram holds the same latencies.
    const first = buckets()[0]!.data;
    expect(LatencyHistogram.decode(first.histogram!).summary()).toEqual({ p50: first.latencyMs.p50, p95: first.latencyMs.p95, p99: first.latencyMs.p99, max: first.latencyMs.max });
    expect(LatencyHistogram.decode(first.histogram!).count).toBe(first.ok);
  });

  it('opens connections only as needed, bounded by the timeout, one request at a time each (pipelining 1)', async () => {
    const { target } = run({ rate: 100, connections: 50, timeout: 1500 }, () => answered);
    await vi.advanceTimersByTimeAsync(1200);
    expect(target.connectionOptions.length).toBeLessThanOrEqual(2);
    expect(target.connectionOptions[0]).toMatchObject({ pipelining: 1, connectTimeout: 1500, headersTimeout: 1500, bodyTimeout: 1500 });
  });

  it('saturates the connections when more is asked than they carry, and says so', async () => {
    const { target, notes, total } = run({ rate: 100_000, connections: 4 }, () => ({ ...answered, after: 1 }));
    await vi.advanceTimersByTimeAsync(1500);
    expect(target.maxInFlight).toBe(4);
    // Each connection takes the next request the moment its answer ends: 4 connections × 1 ms answers.
    expect(total('sent')).toBeGreaterThanOrEqual(3960);
    expect(total('sent')).toBeLessThanOrEqual(4004);
    expect(total('ok')).toBe(total('sent'));
    expect(notes()).toEqual([expect.stringMatching(/^load generator saturated: \d+ due requests not sent \(all 4 connections busy\)$/)]);
  });

  it('counts failures by reason and keeps sending after errors, saturated too', async () => {
    const { total, notes } = run({ rate: 100_000, connections: 4 }, (index) => (index % 10 === 0 ? { after: 1, status: 503 } : { after: 1, error: { code: 'ECONNREFUSED' } }));
    await vi.advanceTimersByTimeAsync(1500);
    // A failed connection sends again in the next event-loop turn, not only on the 5 ms ticks (≤ 800 here).
    expect(total('sent')).toBeGreaterThan(1500);
    expect(total('failed')).toBe(total('sent'));
    const note = notes().find((text) => text.startsWith('load requests failed'));
    expect(note).toMatch(/^load requests failed: \d+ \(ECONNREFUSED \d+, HTTP 503 \d+\)$/);
  });

  it('calls timeouts by one name', async () => {
    const { notes } = run({ rate: 10 }, () => ({ after: 1, error: { code: 'UND_ERR_HEADERS_TIMEOUT' } }));
    await vi.advanceTimersByTimeAsync(1500);
    expect(notes()).toEqual(['load requests failed: 10 (timeout 10)']);
  });

  it('fails a request not answered within the timeout on time, and stops on time', async () => {
    const { target, notes } = run({ rate: 20, duration: 1000, timeout: 300 }, () => ({ hang: true }));
    await vi.advanceTimersByTimeAsync(1300);
    expect(target.closed).toBe(0);
    await vi.advanceTimersByTimeAsync(100);
    // Stopped by itself: the last request (sent at 1 s) failed at 1.3 s, then the connections closed.
    expect(target.closed).toBe(target.connectionOptions.length);
    expect(target.requests).toHaveLength(20);
    expect(target.abortedAfter).toHaveLength(20);
    expect(target.abortedAfter.every((ms) => ms >= 300 && ms <= 310)).toBe(true);
    expect(notes()).toEqual([`load requests failed: ${target.requests.length} (timeout ${target.requests.length})`]);
  });

  it('names the instance from the body when the answer has no header', async () => {
    const { buckets } = run({ rate: 20 }, () => ({ after: 2, body: 'instance web-2\n' }));
    await vi.advanceTimersByTimeAsync(1500);
    expect(buckets().reduce((sum, bucket) => sum + (bucket.data.byInstance['web-2'] ?? 0), 0)).toBe(20);
  });

  it('counts the answers per version (X-Version, else the body) and whether a two-tier answer crossed nodes', async () => {
    const answers: FakeAnswer[] = [
      { after: 2, headers: { 'x-instance': 'web-1', 'x-version': 'v2', 'x-crossed-nodes': 'true' } },
      { after: 2, headers: { 'x-instance': 'web-1', 'x-version': 'v2', 'x-crossed-nodes': 'false' } },
      { after: 2, body: 'instance web-2 version v1 on one host\n' },
      { after: 2, status: 500, headers: { 'x-version': 'v3' } },
    ];
    const { buckets } = run({ rate: 20 }, (index) => answers[index % answers.length]!);
    await vi.advanceTimersByTimeAsync(1500);
    const byVersion: Record<string, number> = {};
    const crossing = { crossed: 0, same: 0 };
    for (const bucket of buckets()) {
      for (const [version, count] of Object.entries(bucket.data.byVersion ?? {})) byVersion[version] = (byVersion[version] ?? 0) + count;
      crossing.crossed += bucket.data.crossedNodes?.crossed ?? 0;
      crossing.same += bucket.data.crossedNodes?.same ?? 0;
    }
    // A failed answer counts for no version: the share is of answered requests, like byInstance.
    expect(byVersion).toEqual({ v2: 10, v1: 5 });
    expect(crossing).toEqual({ crossed: 5, same: 5 });
  });

  it('waits for the requests in flight at the end; stop() twice is one stop', async () => {
    const { generator, buckets, total } = run({ rate: 100, duration: 500, connections: 100 }, () => ({ ...answered, after: 300 }));
    await vi.advanceTimersByTimeAsync(600);
    let stopped = false;
    const stop = generator.stop();
    expect(generator.stop()).toBe(stop);
    void stop.then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(100);
    expect(stopped).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    expect(stopped).toBe(true);
    expect([total('sent'), total('ok')]).toEqual([50, 50]);
    expect(buckets().length).toBeLessThanOrEqual(6);
    // 300 ms answers, counted from when each request was due: at most a 5 ms tick later.
    expect(buckets().every((bucket) => bucket.data.latencyMs.max >= 300 && bucket.data.latencyMs.max <= 306)).toBe(true);
  });

  it('keepAlive false asks undici for a fresh connection per request', async () => {
    const { target } = run({ rate: 10, keepAlive: false }, () => answered);
    await vi.advanceTimersByTimeAsync(1500);
    expect(target.requests.every((request) => request.reset === true)).toBe(true);
  });

  it('refuses a target that is not loopback', () => {
    expect(() => new LoadGenerator('http://192.0.2.1/', { profile: 'constant', rate: 1, duration: 100, connections: 1, timeout: 100 }, fakeTimeline())).toThrow(/loopback/);
  });
});
