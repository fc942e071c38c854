import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LoadSpec } from '../../../src/experiments/schema.js';
import { runLoadWorker, requireServiceUrl } from '../../../src/probes/load-worker.js';
import { WorkerLoadMerge } from '../../../src/probes/worker-load-merge.js';
import { LatencyHistogram } from '../../../src/stats/latency-histogram.js';
import { entriesOf, Timeline } from '../../../src/timeline/timeline.js';
import { FakeLoadTarget } from './fake-load-target.js';

const URL_OF_SERVICE = 'http://web.demo.svc:80/';

/** N workers on fake timers against a fake target; their log lines, per worker. */
async function runWorkers(spec: LoadSpec, workers: number, options: { skip?: number[]; answerMs?: (index: number) => number } = {}) {
  const start = Date.now() + 1000;
  const logs: string[][] = Array.from({ length: workers }, () => []);
  const runs = Array.from({ length: workers }, (_, index) => {
    if (options.skip?.includes(index)) return Promise.resolve();
    const target = new FakeLoadTarget((request) => ({ after: options.answerMs?.(request) ?? 2 + (request % 7), headers: { 'x-instance': `web-${request % 3}` } }));
    return runLoadWorker({ url: URL_OF_SERVICE, spec, index, workers, startAtEpochMs: start, rawSamples: true, write: (text) => logs[index]!.push(...text.split('\n').filter(Boolean)), openConnection: target.open });
  });
  await vi.advanceTimersByTimeAsync(1000 + spec.duration + 500);
  await Promise.all(runs);
  return logs;
}

function merge(spec: LoadSpec, logs: string[][]) {
  const timeline = new Timeline({ now: () => 0, fromWallClock: (epochMs) => epochMs });
  const raw: number[] = [];
  const merged = new WorkerLoadMerge(spec, logs.length, timeline, 5000, (_worker, _key, ms) => raw.push(...ms));
  logs.forEach((lines, index) => {
    merged.placed(index, `load-${index}`, 'worker-a');
    // Each log read twice (a follow, then the whole log once more): every line counts once.
    for (const line of [...lines, ...lines]) merged.line(index, line);
    merged.ended(index);
  });
  return { timeline, merged, raw };
}

const constant = (rate: number, duration: number): LoadSpec => ({ profile: 'constant', rate, duration, connections: 20, timeout: 1000 });

describe('cluster load workers and their merge', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'Date', 'performance'] }));
  afterEach(() => vi.useRealTimers());

  it('each worker sends its share; merged, the buckets add up to the whole schedule, per second', async () => {
    const spec = constant(400, 2000);
    const logs = await runWorkers(spec, 4);
    const { timeline, merged } = merge(spec, logs);
    const reports = merged.finish();
    const buckets = entriesOf(timeline.entries, 'load-bucket');
    // One entry per 100 ms bucket (plus the final tick's), on the run clock from the common start.
    expect(buckets[0]!.t).toBe(5000);
    expect(new Set(buckets.map((bucket) => bucket.t)).size).toBe(buckets.length);
    const total = buckets.reduce((sum, bucket) => sum + bucket.data.sent, 0);
    expect(total).toBe(800);
    expect(reports.map((report) => report.sent)).toEqual([200, 200, 200, 200]);
    expect(reports.reduce((sum, report) => sum + report.sent, 0)).toBe(total);
    expect(reports.every((report) => report.status === 'ok' && report.expected === 200)).toBe(true);
    for (const second of [0, 1]) {
      const inSecond = buckets.filter((bucket) => bucket.t >= 5000 + second * 1000 && bucket.t < 6000 + second * 1000).reduce((sum, bucket) => sum + bucket.data.sent, 0);
      expect(Math.abs(inSecond - 400)).toBeLessThanOrEqual(4);
    }
    expect(buckets.every((bucket) => bucket.data.targetRate === 400 || bucket.t >= 7000)).toBe(true);
    expect(buckets.reduce((sum, bucket) => sum + (bucket.data.byInstance['web-0'] ?? 0), 0)).toBeGreaterThan(0);
  });

  it('merged histograms give the percentiles of every worker’s raw latencies, within the precision', async () => {
    const spec = constant(300, 1000);
    const logs = await runWorkers(spec, 3, { answerMs: (request) => 1 + ((request * 37) % 50) });
    const { timeline, merged, raw } = merge(spec, logs);
    merged.finish();
    const buckets = entriesOf(timeline.entries, 'load-bucket');
    const all = LatencyHistogram.empty();
    for (const bucket of buckets) if (bucket.data.histogram) all.add(LatencyHistogram.decode(bucket.data.histogram));
    const sorted = raw.map((ms) => Math.max(1, Math.round(ms * 1000))).sort((a, b) => a - b);
    expect(all.count).toBe(sorted.length);
    for (const p of [50, 90, 99, 100]) {
      const exact = sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
      expect(Math.abs(all.percentileMs(p)! * 1000 - exact)).toBeLessThanOrEqual(Math.max(1, exact / 1000));
    }
  });

  it('reports a worker that never ran as missing, and one that started late as slow, instead of averaging them away', async () => {
    const spec = constant(200, 2000);
    const logs = await runWorkers(spec, 3, { skip: [1] });
    // Worker 2's log lost its first second of buckets.
    logs[2] = logs[2]!.filter((line) => !line.startsWith('{"b"') || JSON.parse(line).b.k >= 10);
    const { timeline, merged } = merge(spec, logs);
    merged.trouble(1, 'its pod never started: image rebound/rebound:0.1.0 is not on node worker-a (ErrImageNeverPull)');
    const reports = merged.finish();
    expect(reports.map((report) => report.status)).toEqual(['ok', 'missing', 'slow']);
    expect(reports[2]!.detail).toMatch(/log lines were lost/);
    const notes = entriesOf(timeline.entries, 'note').map((note) => note.data.text);
    expect(notes).toContainEqual(expect.stringMatching(/^load worker 1 of 3 \(pod load-1 on worker-a\) is missing: sent nothing; its pod never started/));
    expect(notes).toContainEqual(expect.stringMatching(/^load worker 2 of 3 .* is slow: sent \d+ of the 133 requests of its share/));
    expect(notes.at(-1)).toMatch(/^cluster load: 3 workers sent \d+ of the 400 requests the schedule asked for .*; 1 of 3 kept to their share$/);
  });

  it('holds a bucket for the workers still running, then writes it; a late part is written beside it', () => {
    const spec = constant(100, 1000);
    const timeline = new Timeline({ now: () => 0, fromWallClock: (epochMs) => epochMs });
    const merged = new WorkerLoadMerge(spec, 2, timeline, 0);
    const line = (w: number, k: number, sent: number) => JSON.stringify({ b: { w, k, sent, ok: sent, failed: 0, ms: [1, 1, 1, 1], h: LatencyHistogram.ofMs(Array(sent).fill(1)).encode(), i: {}, r: 50 } });
    merged.line(0, line(0, 0, 5));
    merged.flush(200);
    expect(entriesOf(timeline.entries, 'load-bucket')).toHaveLength(0);
    merged.line(1, line(1, 0, 5));
    merged.line(1, line(1, 0, 5)); // read twice: counted once
    merged.flush(200);
    expect(entriesOf(timeline.entries, 'load-bucket').map((bucket) => [bucket.t, bucket.data.sent, LatencyHistogram.decode(bucket.data.histogram!).count])).toEqual([[0, 10, 10]]);
    merged.line(0, line(0, 1, 5));
    merged.flush(3200);
    merged.flush(3300);
    merged.line(1, line(1, 1, 4));
    merged.flush(3400);
    expect(entriesOf(timeline.entries, 'load-bucket').map((bucket) => [bucket.t, bucket.data.sent])).toEqual([
      [0, 10],
      [100, 5],
      [100, 4],
    ]);
  });

  it('says so when a line cannot be read, and goes on', () => {
    const timeline = new Timeline({ now: () => 0, fromWallClock: (epochMs) => epochMs });
    const merged = new WorkerLoadMerge(constant(10, 1000), 1, timeline, 0);
    merged.line(0, 'panic: something');
    merged.line(0, '{"b": {"w": 0}}');
    expect(entriesOf(timeline.entries, 'note').map((note) => note.data.text)).toEqual(['load worker 0: wrote a line rebound cannot read (not JSON: panic: something)', 'load worker 0: wrote a line rebound cannot read (not a load worker line: {"b": {"w": 0}})']);
  });

  it('stops when told (the Job deleted early) and says how much it sent', async () => {
    const stop = new AbortController();
    const lines: string[] = [];
    const target = new FakeLoadTarget(() => ({ after: 2 }));
    const run = runLoadWorker({ url: URL_OF_SERVICE, spec: constant(100, 10_000), index: 0, workers: 1, startAtEpochMs: Date.now(), write: (text) => lines.push(text.trim()), signal: stop.signal, openConnection: target.open });
    await vi.advanceTimersByTimeAsync(1000);
    stop.abort();
    await vi.advanceTimersByTimeAsync(100);
    const done = await run;
    expect(done).toMatchObject({ w: 0, stopped: true, dropped: 0 });
    expect(done.sent).toBeGreaterThanOrEqual(99);
    expect(done.sent).toBeLessThanOrEqual(101);
    expect(JSON.parse(lines.at(-1)!)).toEqual({ done });
  });

  it('a worker that starts late keeps to the common schedule: it skips what it missed, its buckets line up with the others', async () => {
    const lines: string[] = [];
    const target = new FakeLoadTarget(() => ({ after: 2 }));
    const run = runLoadWorker({ url: URL_OF_SERVICE, spec: constant(100, 2000), index: 0, workers: 1, startAtEpochMs: Date.now() - 500, write: (text) => lines.push(text.trim()), openConnection: target.open });
    await vi.advanceTimersByTimeAsync(2000);
    const done = await run;
    const parsed = lines.map((line) => JSON.parse(line));
    expect(parsed[0].start.lagMs).toBe(500);
    expect(done.skipped).toBe(49);
    expect(done.sent + done.skipped + done.dropped).toBe(200);
    // Its first bucket is the common schedule's bucket 5 (it sends from 500 ms on), not 0.
    expect(parsed.find((line) => line.b !== undefined).b.k).toBe(5);
  });

  it('only sends to a Service address', () => {
    expect(requireServiceUrl('http://web.demo.svc:80/x').hostname).toBe('web.demo.svc');
    expect(requireServiceUrl('http://web.demo.svc.cluster.local/').hostname).toBe('web.demo.svc.cluster.local');
    for (const url of ['http://10.0.0.1/', 'http://example.com/', 'https://web.demo.svc/', 'http://web.svc/']) expect(() => requireServiceUrl(url)).toThrow(/refusing|not an http URL/);
  });
});
