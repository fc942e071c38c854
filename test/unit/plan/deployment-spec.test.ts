import { describe, expect, it } from 'vitest';
import { deploymentSpecOf, teardownCommandFor } from '../../../src/plan/deployment-spec.js';
import { parseExperiment } from '../../../src/experiments/load-experiment.js';

const experiment = (deploy: string) =>
  parseExperiment(`apiVersion: rebound/v1
kind: Experiment
metadata: { name: web }
kubernetes: { namespace: shop }
system: { selector: { app: web } }
faults: [{ crash: { count: 1 } }]
deploy: ${deploy}
`);

describe('deploymentSpecOf', () => {
  it('on Kubernetes deploys where the selector looks (kubernetes.namespace), with or without deploy.kubernetes', () => {
    expect(deploymentSpecOf(experiment('{ image: app:v1 }'), 'kubernetes')?.namespace).toBe('shop');
    expect(deploymentSpecOf(experiment('{ image: app:v1, kubernetes: { nodePort: 30088 } }'), 'kubernetes')).toMatchObject({ namespace: 'shop', nodePort: 30088 });
    expect(deploymentSpecOf(experiment('{ image: app:v1 }'), 'docker')?.namespace).toBeUndefined();
  });

  it('passes the rollout settings to Kubernetes only', () => {
    const deploy = '{ image: app:v1, kubernetes: { nodePort: 30088, progressDeadlineSeconds: 6, preStopSleepSeconds: 3 } }';
    expect(deploymentSpecOf(experiment(deploy), 'kubernetes')).toMatchObject({ progressDeadlineSeconds: 6, preStopSleepSeconds: 3 });
    expect(deploymentSpecOf(experiment(deploy), 'docker')).not.toHaveProperty('progressDeadlineSeconds');
  });

  it('names the teardown command in its hints when the file is known', () => {
    expect(deploymentSpecOf(experiment('{ image: app:v1 }'), 'docker', 'experiments/web.yaml')?.teardownCommand).toBe('rebound teardown experiments/web.yaml --target docker');
    expect(deploymentSpecOf(experiment('{ image: app:v1 }'), 'docker')?.teardownCommand).toBeUndefined();
  });
});

describe('teardownCommandFor', () => {
  it('gives one shell word per path: plain paths as they are, others single-quoted', () => {
    expect(teardownCommandFor('/tmp/a-b_c/x.yaml', 'kubernetes')).toBe('rebound teardown /tmp/a-b_c/x.yaml --target kubernetes');
    expect(teardownCommandFor("my dir/it's.yaml", 'docker')).toBe(`rebound teardown 'my dir/it'\\''s.yaml' --target docker`);
    expect(teardownCommandFor('$(rm -rf ~).yaml', 'docker')).toBe(`rebound teardown '$(rm -rf ~).yaml' --target docker`);
  });
});
