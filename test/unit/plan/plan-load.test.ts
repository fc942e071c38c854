import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/common/errors.js';
import { parseExperiment } from '../../../src/experiments/load-experiment.js';
import { CLUSTER_LOAD_START_MS, planLoad } from '../../../src/plan/plan-load.js';
import { planExperiment } from '../../../src/plan/plan-experiment.js';

const experiment = (load: string, rest = 'deploy: { image: app:v1 }\nfaults: [{ kill: { count: 1 } }]') =>
  parseExperiment(`apiVersion: rebound/v1
kind: Experiment
metadata: { name: web }
kubernetes: { namespace: shop }
system: { selector: { app: web } }
load: ${load}
${rest}
`);

describe('planLoad', () => {
  it('local: to the loopback url, at once; none without a url', () => {
    const local = experiment('{ rate: 10/s, duration: 5s }');
    expect(planLoad(local, 'docker', 'http://127.0.0.1:8080/', [])).toMatchObject({ in: 'local', url: 'http://127.0.0.1:8080/' });
    expect(planLoad(local, 'kubernetes', undefined, [])).toBeUndefined();
  });

  it('cluster: to the deployed Service by its DNS name, after the pods had time to start', () => {
    const planned = planLoad(experiment('{ in: cluster, workers: 3, rate: 10/s, duration: 5s, path: /hello }'), 'kubernetes', 'http://127.0.0.1:30080/', ['worker-1']);
    expect(planned).toEqual({ in: 'cluster', url: 'http://web.shop.svc/hello', spec: expect.objectContaining({ workers: 3 }), startAtMs: CLUSTER_LOAD_START_MS, avoidNodes: [] });
  });

  it('cluster: a named Service, a start of its own, off the nodes of node faults when asked', () => {
    const planned = planLoad(experiment('{ in: cluster, rate: 10/s, duration: 5s, service: { name: front, port: 8080 }, startAfter: 3s, avoidFaultedNodes: true }'), 'kubernetes', undefined, ['worker-1', 'worker-1']);
    expect(planned).toMatchObject({ url: 'http://front.shop.svc/', startAtMs: 3000, avoidNodes: ['worker-1'] });
  });

  it('refuses a cluster load on Docker, and one without a Service', () => {
    expect(() => planLoad(experiment('{ in: cluster, rate: 10/s, duration: 5s }'), 'docker', undefined, [])).toThrow(/Kubernetes Job: there is no such thing on docker/);
    expect(() => planLoad(experiment('{ in: cluster, rate: 10/s, duration: 5s }', 'faults: [{ kill: { count: 1 } }]'), 'kubernetes', undefined, [])).toThrow(/names none/);
  });

  it('the experiment says which fields are for the cluster only', () => {
    expect(() => experiment('{ rate: 10/s, duration: 5s, workers: 4 }')).toThrow(ValidationError);
    try {
      experiment('{ rate: 10/s, duration: 5s, workers: 4 }');
    } catch (error) {
      expect((error as ValidationError).issues[0]).toMatchObject({ path: 'load.workers', message: expect.stringMatching(/set `in: cluster` too/) });
    }
  });

  it('a cluster load makes the run last until it is over, and the plan says where it runs', () => {
    const plan = planExperiment(experiment('{ in: cluster, workers: 2, rate: 10/s, duration: 40s }'), 'kubernetes', 'Kubernetes', { instances: [], hosts: [], desired: 3 });
    expect(plan.durationMs).toBe(CLUSTER_LOAD_START_MS + 40_000);
    expect(plan.summary.load).toEqual({ url: 'http://web.shop.svc/', profile: 'constant', durationMs: 40_000, in: 'cluster', workers: 2, startsAtMs: CLUSTER_LOAD_START_MS });
    expect(plan.load?.in).toBe('cluster');
    expect(plan.loadUrl).toBeUndefined();
  });
});
