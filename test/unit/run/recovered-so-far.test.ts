import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../../../src/experiments/load-experiment.js';
import { planExperiment } from '../../../src/plan/plan-experiment.js';
import { recoveredSoFar } from '../../../src/run/recovered-so-far.js';
import { runExperiment } from '../../../src/run/run-experiment.js';
import type { TimelineWriter } from '../../../src/timeline/timeline.js';
import type { TrafficSources } from '../../../src/probes/traffic.js';
import type { Discovery, Target } from '../../../src/targets/target.js';
import { TimelineBuilder } from '../assertions/timeline-builder.js';

const options = { settleMs: 2000, probeTimeoutMs: 1000, notBeforeMs: 3000 };

// A fault at 3 s, failing requests until 4 s, then every request answers.
function crashAt3sBackAt4s(until: number) {
  return new TimelineBuilder().phase(0, 'baseline').replicas(0, 3, 3).requests(0, 3000, 100, true).fault(3000, 'crash', ['web-0']).requests(3000, 4000, 100, false).requests(4000, until, 100, true);
}

describe('recoveredSoFar (until: recovered)', () => {
  it('is true once the steady state has held for the settle period over the part of the timeline that can no longer change', () => {
    // The last failed request (sent at 3.9 s, 5 ms) ends the outage at 3.905 s; held 2 s → 5.905 s;
    // requests are complete up to now − timeout − 250 ms, so from now = 7.155 s on.
    const entries = crashAt3sBackAt4s(7300).build();
    expect(recoveredSoFar(entries, 7150, options)).toBe(false);
    expect(recoveredSoFar(entries, 7160, options)).toBe(true);
  });

  it('a request still in flight could fail: the last probe timeout is not trusted yet', () => {
    // Everything up to 7 s answered, but at now = 7.0 s requests sent after 5.75 s may still fail.
    expect(recoveredSoFar(crashAt3sBackAt4s(7000).build(), 7000, options)).toBe(false);
  });

  it('is false while a fault keeps the system broken, before the last scheduled event, and when no fault was injected', () => {
    const broken = new TimelineBuilder().replicas(0, 3, 3).fault(3000, 'crash', ['web-0']).replicas(3010, 2, 3).requests(0, 20_000, 100, true).build();
    expect(recoveredSoFar(broken, 20_000, options)).toBe(false);
    expect(recoveredSoFar(crashAt3sBackAt4s(20_000).build(), 20_000, { ...options, notBeforeMs: 20_001 })).toBe(false);
    expect(recoveredSoFar(new TimelineBuilder().replicas(0, 3, 3).requests(0, 20_000, 100, true).build(), 20_000, options)).toBe(false);
  });

  it('needs every fault recovered, not just the first', () => {
    const two = crashAt3sBackAt4s(20_000);
    two.entries.push({ t: 9000, source: 'fault', kind: 'fault-injected', data: { fault: 1, repetition: 0, name: 'stop', subjects: ['web-1'] } });
    two.replicas(9010, 2, 3);
    expect(recoveredSoFar(two.build(), 20_000, options)).toBe(false);
  });
});

describe('recoveredSoFar with a fault just injected', () => {
  it('is false while a started fault is not complete in the settled part of the timeline (a repetition injected a moment ago)', () => {
    const entries = crashAt3sBackAt4s(20_000).build();
    entries.push({ t: 19_500, source: 'fault', kind: 'fault-started', data: { fault: 0, repetition: 1, name: 'crash', subjects: ['web-0'] } });
    entries.push({ t: 19_900, source: 'fault', kind: 'fault-injected', data: { fault: 0, repetition: 1, name: 'crash', subjects: ['web-0'], startedAt: 19_500 } });
    // The first crash is long recovered, but the second one has not been judged yet.
    expect(recoveredSoFar(entries, 20_000, options)).toBe(false);
  });
});

describe('runExperiment with until: recovered', () => {
  // The runner without an engine: one instance that stops answering for 200 ms after the fault.
  const experiment = parseExperiment(`apiVersion: rebound/v1
kind: Experiment
metadata: { name: early }
system: { selector: { app: web }, url: http://127.0.0.1:9/ }
duration: 20s
settle: 300ms
until: recovered
probe: { rate: 20/s, timeout: 100ms }
faults: [{ crash: { count: 1 }, at: 200ms }]
assertions: [{ recoveryTime: { max: 1s } }]
`);
  const discovery: Discovery = { instances: [{ name: 'web-0', labels: { app: 'web', 'rebound.dev/chaos': 'enabled' }, ready: true }], hosts: [], desired: 1 } as unknown as Discovery;

  it('ends observation as soon as the fault recovered, says so, and the verdict agrees', async () => {
    let downUntil = -1;
    let clockNow = () => 0;
    const target = {
      kind: 'docker',
      observe: async () => ({ stop: async () => undefined }),
      planUndo: () => ({ target: 'docker', fault: 'kill', record: { action: 'start', containers: ['web-0'] } }),
      inject: async () => {
        downUntil = clockNow() + 200;
        return { note: 'killed', undo: { target: 'docker', fault: 'kill', record: { action: 'start', containers: ['web-0'] } }, rollback: async () => ({ ok: true, action: 'nothing to undo' }) };
      },
      undo: async () => ({ ok: true, action: 'nothing' }),
    } as unknown as Target;
    const traffic: TrafficSources = {
      startProbe: (_options, writer: TimelineWriter) => {
        clockNow = () => writer.now();
        const timer = setInterval(() => writer.add({ t: writer.now(), source: 'probe', kind: 'request', data: { ms: 0, ok: writer.now() >= downUntil } }), 10);
        return { stop: async () => clearInterval(timer) };
      },
      startLoad: () => ({ stop: async () => undefined }),
    };
    const plan = planExperiment(experiment, 'docker', 'fake', discovery);
    expect(plan.summary.endWhenRecovered).toEqual({ notBeforeMs: 200 });
    expect(plan.summary.guards).toEqual([]);
    const result = await runExperiment({ experiment, file: 'early.yaml', plan, target, traffic, iteration: 1, signal: new AbortController().signal });
    expect(result.outcome).toBe('passed');
    // Fault at 0.2 s, back at 0.4 s, held 0.3 s → 0.7 s, trusted 0.35 s later (timeout + margin): ~1.05 s, not 20 s.
    expect(result.durationMs).toBeGreaterThan(1000);
    expect(result.durationMs).toBeLessThan(2500);
    const note = result.timeline.find((entry) => entry.kind === 'note' && String(entry.data.text).startsWith('until: recovered'));
    expect(note).toBeDefined();
    expect(result.verdicts[0]).toMatchObject({ name: 'recoveryTime', passed: true });
  });
});
