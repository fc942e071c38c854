import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../../../src/experiments/load-experiment.js';
import { planExperiment } from '../../../src/plan/plan-experiment.js';
import type { Discovery } from '../../../src/targets/target.js';

const instance = (name: string, createdAt: number) => ({ id: name, name, createdAt, running: true, ready: true, labels: { app: 'web', 'rebound.dev/chaos': 'enabled' }, hasHealthcheck: true });
const discovery: Discovery = { instances: [instance('web-0', 1), instance('web-1', 2), instance('web-2', 3)], hosts: [], desired: 3 };

describe('the plan of a run with resource faults', () => {
  it('names the instances whose CPU and memory the run samples: those the resource faults touch', () => {
    const experiment = parseExperiment(`apiVersion: rebound/v1
kind: Experiment
metadata: { name: starved }
system: { selector: { app: web } }
duration: 10s
faults:
  - cpu-stress: { count: 1, pick: oldest, duration: 3s }
    at: 1s
  - squeeze: { count: 1, pick: newest, memory: 50% }
    at: 2s
  - crash: { count: 1, pick: oldest }
    at: 3s
`);
    const plan = planExperiment(experiment, 'docker', 'Docker', discovery);
    expect(plan.resourceSubjects).toEqual(['web-0', 'web-2']);
    expect(plan.injections.map((injection) => injection.rollbackAfter)).toEqual([3000, undefined, undefined]);
  });

  it('samples nothing without one', () => {
    const experiment = parseExperiment('apiVersion: rebound/v1\nkind: Experiment\nmetadata: { name: crash }\nsystem: { selector: { app: web } }\nfaults: [{ crash: { count: 1 } }]\n');
    expect(planExperiment(experiment, 'docker', 'Docker', discovery).resourceSubjects).toBeUndefined();
  });
});
