import { describe, expect, it } from 'vitest';
import { detectionLag } from '../../../src/assertions/detection-lag.js';
import { recoveryTime } from '../../../src/assertions/recovery-time.js';
import { replicas } from '../../../src/assertions/replicas.js';
import { traffic } from '../../../src/assertions/traffic.js';
import { trafficFigures } from '../../../src/assertions/traffic-figures.js';
import { LatencyHistogram } from '../../../src/stats/latency-histogram.js';
import type { TimelineEntry } from '../../../src/timeline/timeline.js';
import { TimelineBuilder } from './timeline-builder.js';

const context = { settleMs: 2000 };
const recovery = (max: number) => recoveryTime.params.parse({ max: `${max}ms` });

describe('recoveryTime', () => {
  it('measures from the fault to the start of a steady state that holds for the settle period', () => {
    const entries = new TimelineBuilder().phase(0, 'baseline').seen('web').replicas(0, 1).fault(5000, 'crash', ['web']).replicas(5010, 0).replicas(6500, 1)
      .requests(0, 5000, 100, true).requests(5000, 6400, 100, false).requests(6500, 12_000, 100, true).phase(12_000, 'rollback').build();
    const verdict = recoveryTime.evaluate(entries, recovery(5000), context);
    expect(verdict).toMatchObject({ passed: true, measured: 1500 });
  });

  it('does not count a flap before the settle period as recovered', () => {
    const entries = new TimelineBuilder().seen('web').replicas(0, 1).fault(1000, 'crash', ['web']).replicas(1010, 0).replicas(2000, 1).replicas(3000, 0).replicas(4000, 1).phase(10_000, 'rollback').build();
    expect(recoveryTime.evaluate(entries, recovery(10_000), context).measured).toBe(3000);
  });

  it('is "not recovered", never a number, and explains a missing restart policy', () => {
    const entries = new TimelineBuilder().seen('web', 'no').replicas(0, 1).fault(1000, 'crash', ['web'], undefined, { facts: { restartPolicy: { applies: true, reason: 'a SIGKILL from outside the engine is a crash' } } }).event(1005, 'web', 'die').replicas(1005, 0).phase(8000, 'rollback').event(8100, 'web', 'start').build();
    const verdict = recoveryTime.evaluate(entries, recovery(5000), context);
    expect(verdict.passed).toBe(false);
    expect(verdict.measured).toBeNull();
    expect(verdict.explanation).toMatch(/without a restart policy \(RestartPolicy=no\)/);
  });

  it('explains that docker kill is a manual stop', () => {
    const entries = new TimelineBuilder().seen('web', 'always').replicas(0, 1).fault(1000, 'kill', ['web'], 'docker kill is a manual stop: ...', { facts: { restartPolicy: { applies: false, reason: '`docker kill` is a manual stop' } } }).replicas(1005, 0).phase(8000, 'rollback').build();
    expect(recoveryTime.evaluate(entries, recovery(5000), context).explanation).toMatch(/manual stop, so Docker's restart policy \(always\) does not apply/);
  });

  it('explains from the facts, never from the note', () => {
    const entries = new TimelineBuilder().seen('web', 'always').replicas(0, 1).fault(1000, 'kill', ['web'], 'docker kill is a manual stop: ...').replicas(1005, 0).phase(8000, 'rollback').build();
    expect(recoveryTime.evaluate(entries, recovery(5000), context).explanation).toBe('not recovered after kill before the run ended');
  });

  it('measures from the start of the injection and says how long the injection took', () => {
    // The node container took 600 ms to stop; requests failed from its start.
    const entries = new TimelineBuilder().seen('web').replicas(0, 1).fault(1600, 'fail-node', ['worker'], undefined, { startedAt: 1000 }).replicas(1100, 0).replicas(3000, 1).phase(10_000, 'rollback').build();
    const verdict = recoveryTime.evaluate(entries, recovery(10_000), context);
    expect(verdict).toMatchObject({ measured: 2000, details: { 'fault0#0': 2000, 'fault0#0.injectionMs': 600 } });
    expect(verdict.explanation).toBe('recovered 2.00 s after the fault started; the injection itself took 600 ms (limit 10.00 s)');
    // A report of rebound 0.1 (no startedAt) is still read: measured from the injection's end.
    const old = new TimelineBuilder().seen('web').replicas(0, 1).fault(1600, 'fail-node', ['worker']).replicas(1700, 0).replicas(3000, 1).phase(10_000, 'rollback').build();
    expect(recoveryTime.evaluate(old, recovery(10_000), context).measured).toBe(1400);
  });

  it('needs the settle period inside the window', () => {
    const entries = new TimelineBuilder().replicas(0, 1).fault(1000, 'crash', ['web']).replicas(1010, 0).replicas(7000, 1).phase(8000, 'rollback').build();
    expect(recoveryTime.evaluate(entries, recovery(10_000), context).measured).toBeNull();
  });
});

describe('traffic', () => {
  it('measures a pause as the span between successful answers (hanging requests answered at unpause)', () => {
    const builder = new TimelineBuilder().phase(0, 'baseline').replicas(0, 1).requests(0, 2000, 5, true).fault(2000, 'pause', ['web']);
    for (let t = 2000; t < 6000; t += 5) builder.request(t, false, 1000); // timed out
    for (let t = 6000; t < 7000; t += 5) builder.request(t, true, 7000 - t + 2); // answered at unpause
    builder.requests(7000, 10_000, 5, true).phase(10_000, 'rollback');
    const verdict = traffic.evaluate(builder.build(), traffic.params.parse({ maxOutage: '6s' }), context);
    expect(verdict.passed).toBe(true);
    expect(verdict.details!.longestOutageMs).toBe(5002); // last success done at 2000, first after the pause done at 7002
  });

  it('reports an outage still open at the end of the window', () => {
    const entries = new TimelineBuilder().requests(0, 1000, 100, true).fault(1000, 'kill', ['web']).requests(1000, 5000, 100, false).phase(5000, 'rollback').build();
    const verdict = traffic.evaluate(entries, traffic.params.parse({ maxOutage: '2s', successRate: '>= 99%' }), context);
    expect(verdict.passed).toBe(false);
    expect(verdict.details).toMatchObject({ outageStillOpen: true, sent: 40, failed: 40 });
    expect(verdict.explanation).toMatch(/still out at the end/);
  });

  it('compares latency percentiles with the baseline', () => {
    const entries = new TimelineBuilder().requests(0, 1000, 10, true, 10).fault(1000, 'crash', ['web']).requests(1000, 2000, 10, true, 50).phase(2000, 'rollback').build();
    expect(traffic.evaluate(entries, traffic.params.parse({ p99: '<= 3x baseline' }), context).passed).toBe(false);
    expect(traffic.evaluate(entries, traffic.params.parse({ p99: '<= 100ms' }), context).passed).toBe(true);
  });

  it('merges the load buckets’ histograms over the chaos window, and gives none for buckets without one', () => {
    const bucket = (t: number, samples: number[], withHistogram = true): TimelineEntry => ({
      t,
      source: 'load',
      kind: 'load-bucket',
      data: { bucketMs: 100, sent: samples.length, ok: samples.length, failed: 0, latencyMs: { p50: 0, p95: 0, p99: 0, max: 0 }, ...(withHistogram && { histogram: LatencyHistogram.ofMs(samples).encode() }), byInstance: {}, targetRate: 10 },
    });
    const builder = new TimelineBuilder().requests(0, 2000, 100, true).fault(1000, 'crash', ['web']).phase(2000, 'rollback');
    // Before the fault (baseline): not counted. During chaos: 1..100 ms over two buckets.
    builder.entries.push(bucket(500, [1000]), bucket(1000, Array.from({ length: 50 }, (_, index) => index + 1)), bucket(1100, Array.from({ length: 50 }, (_, index) => index + 51)));
    const figures = trafficFigures(builder.build());
    expect(figures.load).toMatchObject({ sent: 100, ok: 100, failed: 0 });
    expect([figures.load.latency!.p50, figures.load.latency!.p99]).toEqual([50.015, 99.007]);
    builder.entries.push(bucket(1200, [5], false));
    expect(trafficFigures(builder.build()).load.latency).toBeNull();
  });
});

describe('replicas', () => {
  it('reports min during chaos, final and time to restore', () => {
    const entries = new TimelineBuilder().replicas(0, 3, 3).fault(1000, 'kill', ['a']).replicas(1100, 2, 3).replicas(1500, 1, 3).replicas(4000, 3, 3).phase(9000, 'rollback').build();
    const verdict = replicas.evaluate(entries, replicas.params.parse({ minDuringChaos: '>= 2', within: '5s' }), context);
    expect(verdict.passed).toBe(false);
    expect(verdict.details).toMatchObject({ minReadyDuringChaos: 1, finalReady: 3, timeToRestoreMs: 3000 });
    expect(replicas.evaluate(entries, replicas.params.parse({ ready: '>= 3', within: '5s' }), context).passed).toBe(true);
  });
});

describe('detectionLag', () => {
  it('compares receipt time with the engine timestamp', () => {
    const entries = new TimelineBuilder().event(100, 'web', 'die', 1_000_090).event(500, 'web', 'start', 1_000_498).build();
    expect(detectionLag(entries).map((lag) => [lag.action, lag.medianMs])).toEqual([['die', 10], ['start', 2]]);
  });
});

describe('traffic, judged in a window', () => {
  it('counts only the requests sent between from and to; the baseline stays before the first fault', () => {
    const entries = new TimelineBuilder().phase(0, 'baseline').replicas(0, 1).requests(0, 5000, 100, true, 5).fault(5000, 'spike-load', [])
      .requests(5000, 20_000, 100, false).requests(20_000, 30_000, 100, true, 40).phase(30_000, 'rollback').build();
    const all = traffic.evaluate(entries, traffic.params.parse({ successRate: '>= 95%' }), context);
    expect(all.passed).toBe(false);
    const late = traffic.evaluate(entries, traffic.params.parse({ successRate: '>= 95%', p95: '<= 10x baseline', from: '20s' }), context);
    expect(late).toMatchObject({ passed: true, measured: 1, details: { sent: 100 } });
    expect(late.details!.baselineP50Ms).toBeCloseTo(5, 1);
    expect(late.explanation).toMatch(/^from 20\.00 s: 100\/100 ok/);
    const early = traffic.evaluate(entries, traffic.params.parse({ maxErrors: 0, from: '6s', to: '8s' }), context);
    expect(early).toMatchObject({ passed: false, details: { sent: 20, failed: 20 } });
  });
});
