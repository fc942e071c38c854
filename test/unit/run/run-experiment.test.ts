import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../../../src/experiments/load-experiment.js';
import type { Plan } from '../../../src/plan/plan-experiment.js';
import { exitCodeOf } from '../../../src/cli/commands/run.js';
import { runExperiment } from '../../../src/run/run-experiment.js';
import type { TimelineWriter } from '../../../src/timeline/timeline.js';
import type { TrafficSources } from '../../../src/probes/traffic.js';
import type { Target } from '../../../src/targets/target.js';

// The runner without an engine: a fake target whose one fault makes every probe request fail
// until it is rolled back. Real timers, but a sub-second run.
const experiment = parseExperiment(`apiVersion: rebound/v1
kind: Experiment
metadata: { name: guarded }
system: { selector: { app: web }, url: http://127.0.0.1:9/ }
duration: 20s
faults: [{ stop: { count: 1 }, at: 300ms }]
guards: [{ http: { successRate: ">= 50%", window: 400ms } }]
`);

function fakes() {
  const state = { down: false, rollbacks: 0 };
  const target = {
    kind: 'docker',
    observe: async () => ({ stop: async () => undefined }),
    planUndo: () => ({ target: 'docker', fault: 'stop', record: { action: 'start', containers: ['web-0'] } }),
    inject: async () => {
      state.down = true;
      return { note: 'stopped', undo: { target: 'docker', fault: 'stop', record: { action: 'start', containers: ['web-0'] } }, rollback: async () => (state.rollbacks++, (state.down = false), { ok: true, action: 'started web-0 again' }) };
    },
    undo: async () => ({ ok: true, action: 'nothing' }),
  } as unknown as Target;
  const traffic: TrafficSources = {
    startProbe: (_options, writer: TimelineWriter) => {
      const timer = setInterval(() => writer.add({ t: writer.now(), source: 'probe', kind: 'request', data: { ms: 0, ok: !state.down } }), 10);
      return { stop: async () => clearInterval(timer) };
    },
    startLoad: () => ({ stop: async () => undefined }),
  };
  return { state, target, traffic };
}

const plan = {
  target: 'docker',
  selector: { labels: { app: 'web' } },
  desired: 1,
  eligible: [],
  injections: [{ index: 0, repetition: 0, name: 'stop', params: { count: 1, pick: 'random', timeout: 0 }, subjects: ['web-0'], at: 300, actsOn: 'instances' }],
  durationMs: 20_000,
  settleMs: 2000,
  probeUrl: 'http://127.0.0.1:9/',
  summary: { target: 'docker', targetDescription: 'fake', desired: 1, instances: [], hosts: [], faults: [], durationMs: 20_000, settleMs: 2000, warnings: [] },
} satisfies Plan;

describe('runExperiment with guards', () => {
  it('a tripped guard stops the run within its window, rolls back, and says why', async () => {
    const { state, target, traffic } = fakes();
    const result = await runExperiment({ experiment, file: 'guarded.yaml', plan, target, traffic, iteration: 1, signal: new AbortController().signal });
    expect(result.outcome).toBe('aborted');
    expect(result.reason).toMatch(/^aborted by guard: \d+\.\d % of the probe requests of the last 400 ms answered \(\d+ of \d+\), needs >= 50%$/);
    expect(state.rollbacks).toBe(1);
    expect(result.rollbacks).toEqual([{ fault: 0, repetition: 0, name: 'stop', ok: true, action: 'started web-0 again' }]);
    const injected = result.timeline.find((entry) => entry.kind === 'fault-injected')!;
    const tripped = result.timeline.find((entry) => entry.kind === 'guard' && entry.data.violated)!;
    expect(tripped.t - injected.t).toBeLessThan(400 + 200);
    expect(result.durationMs).toBeLessThan(5000);
    expect(result.timeline.at(-1)).toMatchObject({ kind: 'run-ended', data: { outcome: 'aborted' } });
  });

  it('a signal still interrupts a guarded run (the guard is not the reason)', async () => {
    const { target, traffic } = fakes();
    const controller = new AbortController();
    setTimeout(() => controller.abort('SIGTERM'), 100);
    const result = await runExperiment({ experiment, file: 'guarded.yaml', plan, target, traffic, iteration: 1, signal: controller.signal });
    expect(result).toMatchObject({ outcome: 'interrupted', reason: 'interrupted by SIGTERM' });
    expect(result.timeline.some((entry) => entry.kind === 'guard')).toBe(false);
  });

  it('refuses an http guard without a traffic probe', async () => {
    const { target, traffic } = fakes();
    const { probeUrl: _, ...withoutProbe } = plan;
    await expect(runExperiment({ experiment, file: 'guarded.yaml', plan: withoutProbe, target, traffic, iteration: 1, signal: new AbortController().signal })).rejects.toThrow(/guard http reads the traffic probe's requests/);
  });
});

describe('runExperiment: a fault that fails half-way', () => {
  it('undoes it and reports that undo as a rollback (a failed one means exit 4)', async () => {
    const { traffic } = fakes();
    const target = {
      kind: 'docker',
      observe: async () => ({ stop: async () => undefined }),
      planUndo: () => ({ target: 'docker', fault: 'stop', record: { action: 'start', containers: ['web-0'] } }),
      inject: async () => {
        throw new Error('stopped half-way');
      },
      undo: async () => ({ ok: false, action: 'start web-0', error: 'engine gone' }),
    } as unknown as Target;
    const quick = { ...plan, durationMs: 600 };
    const result = await runExperiment({ experiment: { ...experiment, guards: [] }, file: 'x.yaml', plan: quick, target, traffic, iteration: 1, signal: new AbortController().signal });
    expect(result.rollbacks).toEqual([{ fault: 0, repetition: 0, name: 'stop', ok: false, action: 'after a failed injection: start web-0', error: 'engine gone' }]);
    expect(result.timeline.filter((entry) => entry.kind === 'fault-rolled-back' || entry.kind === 'fault-failed').map((entry) => entry.kind)).toEqual(['fault-rolled-back', 'fault-failed']);
    expect(exitCodeOf([result], undefined)).toBe(4);
  });
});

describe('runExperiment: stopped early', () => {
  it('rolls back at once, without waiting for the probe to finish stopping (its requests to a paused container hang)', async () => {
    const { state, target } = fakes();
    const order: string[] = [];
    // A probe whose stop takes 800 ms, as one waiting for requests a paused container holds.
    const traffic: TrafficSources = {
      startProbe: () => ({ stop: () => new Promise<void>((resolve) => setTimeout(() => (order.push('traffic stopped'), resolve()), 800)) }),
      startLoad: () => ({ stop: async () => undefined }),
    };
    const watched = { ...target, inject: async (...args: Parameters<Target['inject']>) => {
      const handle = await target.inject(...args);
      return { ...handle, rollback: async () => (order.push('rolled back'), handle.rollback()) };
    } } as Target;
    const controller = new AbortController();
    setTimeout(() => controller.abort('the stop key (x)'), 500);
    const stopped = performance.now();
    const result = await runExperiment({ experiment: { ...experiment, guards: [] }, file: 'x.yaml', plan, target: watched, traffic, iteration: 1, signal: controller.signal });
    expect(result).toMatchObject({ outcome: 'interrupted', reason: 'interrupted by the stop key (x)' });
    expect(order).toEqual(['rolled back', 'traffic stopped']);
    expect(state.rollbacks).toBe(1);
    const rolledBack = result.timeline.find((entry) => entry.kind === 'fault-rolled-back')!;
    expect(rolledBack.t - 500).toBeLessThan(300);
    expect(performance.now() - stopped).toBeLessThan(5000);
  });
});
