import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/common/clock.js';
import { entriesOf, Timeline } from '../../../src/timeline/timeline.js';
import { LoadGenerator } from '../../../src/probes/load-generator.js';
import { TrafficProbe } from '../../../src/probes/traffic-probe.js';

// The probe and the load generator against a real HTTP server on 127.0.0.1 that can be told to
// answer, hang or refuse. No engine needed.
let server: Server;
let port = 0;
let mode: 'answer' | 'hang' = 'answer';
let connectionsOpened = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (mode === 'hang') return; // never answers: the request must time out
    response.setHeader('X-Instance', 'local-1');
    response.end('instance local-1\n');
  });
  server.on('connection', () => connectionsOpened++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('traffic probe and load generator on loopback', () => {
  it('probes at a steady rate, records every request with the answering instance', async () => {
    mode = 'answer';
    const timeline = new Timeline(systemClock());
    const probe = new TrafficProbe({ url: `http://127.0.0.1:${port}/`, rate: 200, timeoutMs: 1000, durationMs: 2000 }, timeline).start();
    await new Promise((resolve) => setTimeout(resolve, 2300));
    await probe.stop();
    const requests = entriesOf(timeline.entries, 'request');
    expect(requests.length).toBeGreaterThanOrEqual(392);
    expect(requests.length).toBeLessThanOrEqual(402);
    expect(requests.every((request) => request.data.ok && request.data.instance === 'local-1')).toBe(true);
  });

  it('a hanging server never delays the schedule: requests time out on time', async () => {
    mode = 'hang';
    const timeline = new Timeline(systemClock());
    const probe = new TrafficProbe({ url: `http://127.0.0.1:${port}/`, rate: 50, timeoutMs: 300, durationMs: 1000 }, timeline).start();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await probe.stop();
    const requests = entriesOf(timeline.entries, 'request');
    expect(requests.length).toBeGreaterThanOrEqual(48);
    expect(requests.every((request) => !request.data.ok && request.data.error === 'timeout')).toBe(true);
    const gaps = requests.slice(1).map((request, index) => request.t - requests[index]!.t);
    expect(Math.max(...gaps)).toBeLessThan(60);
    mode = 'answer';
  });

  it('refuses a target that is not loopback', () => {
    expect(() => new TrafficProbe({ url: 'http://192.0.2.1/', rate: 1, timeoutMs: 100, durationMs: 100 }, new Timeline(systemClock()))).toThrow(/loopback/);
  });

  it('holds a spike rate per second and stops by itself', async () => {
    mode = 'answer';
    const timeline = new Timeline(systemClock());
    const spec = { profile: 'spike' as const, rate: 50, peak: 1000, at: 500, hold: 2000, duration: 3000, connections: 50, timeout: 1000 };
    new LoadGenerator(`http://127.0.0.1:${port}/`, spec, timeline).start();
    await new Promise((resolve) => setTimeout(resolve, 4500));
    const buckets = entriesOf(timeline.entries, 'load-bucket');
    const t0 = buckets[0]!.t;
    const inSpike = buckets.filter((bucket) => bucket.t - t0 >= 500 && bucket.t - t0 < 2500).reduce((sum, bucket) => sum + bucket.data.sent, 0);
    expect(inSpike).toBeGreaterThan(1900);
    expect(inSpike).toBeLessThan(2100);
    const sent = buckets.reduce((sum, bucket) => sum + bucket.data.sent, 0);
    expect(sent).toBe(buckets.reduce((sum, bucket) => sum + bucket.data.ok + bucket.data.failed, 0));
    expect(sent).toBeLessThanOrEqual(Math.ceil(50 * 1 + 1000 * 2) + 1);
  });

  it('saturates its connections when asked for more than they carry, counting every request', async () => {
    mode = 'answer';
    const timeline = new Timeline(systemClock());
    const spec = { profile: 'constant' as const, rate: 100_000, duration: 1000, connections: 10, timeout: 1000 };
    const generator = new LoadGenerator(`http://127.0.0.1:${port}/`, spec, timeline).start();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await generator.stop();
    const buckets = entriesOf(timeline.entries, 'load-bucket');
    const sent = buckets.reduce((sum, bucket) => sum + bucket.data.sent, 0);
    const ok = buckets.reduce((sum, bucket) => sum + bucket.data.ok, 0);
    expect(ok).toBe(sent);
    expect(ok).toBeGreaterThan(500);
    expect(buckets.reduce((sum, bucket) => sum + (bucket.data.byInstance['local-1'] ?? 0), 0)).toBe(ok);
    expect(entriesOf(timeline.entries, 'note').map((note) => note.data.text)).toEqual([expect.stringMatching(/^load generator saturated: \d+ due requests not sent \(all 10 connections busy\)$/)]);
  });

  it('load requests to a hanging server time out on time, and the load stops by itself', async () => {
    mode = 'hang';
    const timeline = new Timeline(systemClock());
    const started = performance.now();
    const generator = new LoadGenerator(`http://127.0.0.1:${port}/`, { profile: 'constant', rate: 50, duration: 500, connections: 50, timeout: 300 }, timeline).start();
    await new Promise((resolve) => setTimeout(resolve, 900));
    await generator.stop();
    // The last request goes out at 0.5 s and fails at 0.8 s: stopped within the wait (undici's own
    // header timeout, at about 1 s resolution, would end it only after 1.3 s).
    expect(performance.now() - started).toBeLessThan(1150);
    const buckets = entriesOf(timeline.entries, 'load-bucket');
    expect(buckets.reduce((sum, bucket) => sum + bucket.data.failed, 0)).toBe(25);
    expect(entriesOf(timeline.entries, 'note').map((note) => note.data.text)).toEqual(['load requests failed: 25 (timeout 25)']);
    server.closeAllConnections();
    mode = 'answer';
  });

  it('keepAlive false opens a fresh connection per load request', async () => {
    mode = 'answer';
    const timeline = new Timeline(systemClock());
    const before = connectionsOpened;
    const generator = new LoadGenerator(`http://127.0.0.1:${port}/`, { profile: 'constant', rate: 100, duration: 500, connections: 5, timeout: 1000, keepAlive: false }, timeline).start();
    await new Promise((resolve) => setTimeout(resolve, 600));
    await generator.stop();
    const buckets = entriesOf(timeline.entries, 'load-bucket');
    expect(buckets.reduce((sum, bucket) => sum + bucket.data.ok, 0)).toBe(50);
    expect(connectionsOpened - before).toBe(50);
  });
});
