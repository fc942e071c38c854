import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../../../src/experiments/load-experiment.js';
import { deploymentSpecOf } from '../../../src/plan/deployment-spec.js';
import { deployFacts } from '../../../src/plan/deploy-facts.js';

const experiment = (deploy: string) =>
  parseExperiment(`apiVersion: rebound/v1
kind: Experiment
metadata: { name: web }
system: { selector: { app: web } }
faults: [{ crash: { count: 1 } }]
deploy: ${deploy}
`);

const autoscaled = experiment('{ image: app:v1, replicas: 2, resources: { cpu: 100m, memory: 64Mi }, autoscale: { max: 6, cpu: 50% }, kubernetes: { nodePort: 30086 } }');

describe('deployFacts', () => {
  it('on Docker: the limits, and a note that nothing autoscales', () => {
    expect(deployFacts(autoscaled.deploy!, 'docker')).toEqual({
      facts: ['each instance limited to 0.1 CPU and 64 MiB (--cpus/--memory)', 'a plain Docker host has no autoscaler; it stays at 2 instances'],
      notes: ['a plain Docker host has no autoscaler; it stays at 2 instances'],
    });
  });

  it('on Kubernetes: the limits, the autoscaler (min from replicas) and the spread', () => {
    expect(deployFacts(autoscaled.deploy!, 'kubernetes')).toEqual({
      facts: [
        'each instance limited to 0.1 CPU and 64 MiB (requests = limits)',
        'HorizontalPodAutoscaler 2-6 replicas at 50% of the CPU request',
        'pods spread over the nodes: at most one more on any node than on another',
      ],
      notes: [],
    });
    expect(deployFacts(experiment('{ image: app:v1, kubernetes: { spread: false } }').deploy!, 'kubernetes').facts).toEqual(['pods not spread over the nodes (deploy.kubernetes.spread: false)']);
  });
});

describe('deploymentSpecOf with resources, autoscale and spread', () => {
  it('passes limits to both targets, autoscale with min filled in, spread only when turned off', () => {
    const resources = { cpu: { text: '100m', millicores: 100 }, memory: { text: '64Mi', bytes: 64 * 2 ** 20 } };
    expect(deploymentSpecOf(autoscaled, 'docker')).toMatchObject({ resources, autoscale: { min: 2, max: 6, cpuPercent: 50 } });
    const kubernetes = deploymentSpecOf(autoscaled, 'kubernetes')!;
    expect(kubernetes).toMatchObject({ resources, autoscale: { min: 2, max: 6, cpuPercent: 50 }, nodePort: 30086 });
    expect(kubernetes.spread).toBeUndefined();
    expect(deploymentSpecOf(experiment('{ image: app:v1, kubernetes: { spread: false } }'), 'kubernetes')).toMatchObject({ spread: false });
    expect(deploymentSpecOf(experiment('{ image: app:v1, kubernetes: { spread: false } }'), 'kubernetes')?.nodePort).toBeUndefined();
  });
});
