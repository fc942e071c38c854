import { describe, expect, it } from 'vitest';
import { negatedText, parseComparator } from '../../../src/assertions/comparator.js';
import { describeGuards, guardsInWords } from '../../../src/safety/guards/describe-guards.js';
import { printPlan } from '../../../src/plan/print-plan.js';
import { parseExperiment } from '../../../src/experiments/load-experiment.js';
import { planExperiment } from '../../../src/plan/plan-experiment.js';
import type { PlanSummary } from '../../../src/plan/plan-summary.js';

const guarded = parseExperiment(`apiVersion: rebound/v1
kind: Experiment
metadata: { name: guarded }
system: { selector: { app: web }, url: http://127.0.0.1:18900/ }
duration: 20s
faults:
  - stop: { count: 1 }
    at: 3s
  - crash: { count: 1 }
    at: 1s
guards:
  - http: { successRate: ">= 90%" }
  - replicas: { min: 2, for: 1.5s }
`);

const plan: PlanSummary = {
  target: 'docker',
  targetDescription: 'Docker 20.10.24 (unix:///var/run/docker.sock)',
  desired: 3,
  instances: [
    { name: 'web-0', host: 'host', ready: true, eligible: true },
    { name: 'web-1', host: 'host', ready: true, eligible: false, reason: 'no opt-in label rebound.dev/chaos=enabled' },
  ],
  hosts: [{ name: 'host', ready: true }],
  faults: [
    { index: 0, name: 'stop', at: [3000], subjects: ['web-0'], params: { count: 1 } },
    { index: 1, name: 'crash', at: [1000, 6000], subjects: ['web-0'], params: { count: 1 } },
  ],
  durationMs: 20_000,
  settleMs: 2000,
  probe: { url: 'http://127.0.0.1:18900/', rate: 20, timeoutMs: 1000 },
  warnings: [],
};

describe('guards in words', () => {
  it('each guard with its parameters (defaults filled in) and when it arms', () => {
    expect(describeGuards(guarded.guards, 1000)).toEqual([
      "guard http: abort if the probe's success rate < 90% over the last 5.00 s, armed at 1.00 s (the first fault)",
      'guard replicas: abort if ready replicas < 2 for 1.50 s, armed at 1.00 s (the first fault)',
    ]);
  });

  it('says when there is none', () => {
    expect(describeGuards([], 1000)).toEqual(['guards: none (nothing stops the run early)']);
  });

  it('a guard aborts on the opposite of its threshold, as written', () => {
    const opposite = (text: string) => negatedText(parseComparator(text, 'ratio', '>=') as Exclude<ReturnType<typeof parseComparator>, string>);
    expect(['>= 90%', '> 0.5', '<= 10%', '< 1%', '== 100%', '75%'].map(opposite)).toEqual(['< 90%', '<= 0.5', '> 10%', '>= 1%', '!= 100%', '< 75%']);
  });
});

describe('printPlan', () => {
  it('lists the guards after the faults, armed at the earliest fault of the plan', () => {
    expect(printPlan('web.yaml', { ...plan, guards: guardsInWords(guarded.guards, 1000) })).toBe(
      [
        'Plan for web.yaml on Docker 20.10.24 (unix:///var/run/docker.sock)',
        '  desired replicas: 3; run length 20.00 s; settle 2.00 s',
        '  probe: http://127.0.0.1:18900/ at 20/s (timeout 1.00 s)',
        '  instances matched: 2',
        '    + web-0 on host (ready)',
        '    - web-1 on host (ready): not eligible, no opt-in label rebound.dev/chaos=enabled',
        '  faults:',
        '    [0] stop at 3.00 s → web-0, undone at the end',
        '    [1] crash at 1.00 s, 6.00 s → web-0, undone at the end',
        "  guard http: abort if the probe's success rate < 90% over the last 5.00 s, armed at 1.00 s (the first fault)",
        '  guard replicas: abort if ready replicas < 2 for 1.50 s, armed at 1.00 s (the first fault)',
        '  (dry run: nothing was touched)',
        '',
      ].join('\n'),
    );
  });

  it('says "guards: none" for an experiment without guards', () => {
    expect(printPlan('web.yaml', plan)).toMatch(/\n {2}guards: none \(nothing stops the run early\)\n {2}\(dry run/);
  });

  it('with until: recovered, says the run ends once every fault recovered, and its bounds', () => {
    expect(printPlan('web.yaml', { ...plan, endWhenRecovered: { notBeforeMs: 6000 } })).toMatch(
      /\n {2}desired replicas: 3; run length: until every fault recovered, not before 6\.00 s, at most 20\.00 s; settle 2\.00 s\n/,
    );
  });
});

describe('the plan summary', () => {
  it('keeps the guards in words, so a JSON report says what could have stopped the run', () => {
    const discovery = { instances: [{ name: 'web-0', labels: { app: 'web', 'rebound.dev/chaos': 'enabled' }, ready: true }], hosts: [], desired: 1 };
    const summary = planExperiment(guarded, 'docker', 'fake', discovery as never).summary;
    expect(summary.guards).toEqual([
      { name: 'http', text: "guard http: abort if the probe's success rate < 90% over the last 5.00 s, armed at 1.00 s (the first fault)" },
      { name: 'replicas', text: 'guard replicas: abort if ready replicas < 2 for 1.50 s, armed at 1.00 s (the first fault)' },
    ]);
  });
});
