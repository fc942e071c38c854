import { describe, expect, it } from 'vitest';
import { ValidationError, type ValidationIssue } from '../../../src/common/errors.js';
import { parseExperiment } from '../../../src/experiments/load-experiment.js';

const experiment = (deploy: string) => `apiVersion: rebound/v1
kind: Experiment
metadata: { name: web }
system: { selector: { app: web } }
faults: [{ crash: { count: 1 } }]
deploy:
${deploy}
`;

function issuesOf(text: string): ValidationIssue[] {
  try {
    parseExperiment(text, 'x.yaml');
  } catch (error) {
    if (error instanceof ValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('deploy.resources', () => {
  it('parses cpu and memory into millicores and bytes', () => {
    const { deploy } = parseExperiment(experiment('  image: app:v1\n  resources: { cpu: 100m, memory: 64Mi }'));
    expect(deploy?.resources).toEqual({ cpu: { text: '100m', millicores: 100 }, memory: { text: '64Mi', bytes: 64 * 2 ** 20 } });
  });

  it('locates a bad amount at its line with the reason', () => {
    const [issue] = issuesOf(experiment('  image: app:v1\n  resources:\n    cpu: 100m\n    memory: 4Mi'));
    expect(issue).toMatchObject({ file: 'x.yaml', line: 10, path: 'deploy.resources.memory' });
    expect(issue!.message).toMatch(/at least 6Mi/);
  });

  it('wants at least one of cpu and memory', () => {
    const [issue] = issuesOf(experiment('  image: app:v1\n  resources: {}'));
    expect(issue).toMatchObject({ path: 'deploy.resources', message: 'name `cpu`, `memory` or both' });
  });
});

describe('deploy.autoscale', () => {
  it('takes min from deploy.replicas when not given, and the target as a percentage', () => {
    const { deploy } = parseExperiment(experiment('  image: app:v1\n  replicas: 2\n  resources: { cpu: 100m }\n  autoscale: { max: 6, cpu: "50%" }'));
    expect(deploy?.autoscale).toEqual({ max: 6, cpu: 50 });
    expect(deploy?.replicas).toBe(2);
  });

  it('needs resources.cpu, and says why', () => {
    const [issue] = issuesOf(experiment('  image: app:v1\n  autoscale: { min: 2, max: 6, cpu: 50% }'));
    expect(issue).toMatchObject({ path: 'deploy.autoscale', line: 8 });
    expect(issue!.message).toMatch(/autoscale needs resources.cpu: the autoscaler's CPU target is a share of each pod's CPU request/);
  });

  it('refuses max below min and a start outside min..max', () => {
    expect(issuesOf(experiment('  image: app:v1\n  resources: { cpu: 100m }\n  autoscale: { min: 4, max: 3, cpu: 50% }'))[0]).toMatchObject({ path: 'deploy.autoscale.max', message: 'max (3) is below min (4)' });
    const [outside] = issuesOf(experiment('  image: app:v1\n  replicas: 3\n  resources: { cpu: 100m }\n  autoscale: { min: 4, max: 6, cpu: 50% }'));
    expect(outside).toMatchObject({ path: 'deploy.replicas', line: 8 });
    expect(outside!.message).toMatch(/must lie within min 4 and max 6/);
  });

  it('refuses a target that is not a whole percentage', () => {
    const [issue] = issuesOf(experiment('  image: app:v1\n  resources: { cpu: 100m }\n  autoscale: { max: 6, cpu: half }'));
    expect(issue).toMatchObject({ path: 'deploy.autoscale.cpu' });
    expect(issue!.message).toMatch(/whole percentage of the CPU request such as "50%"/);
  });
});

describe('deploy.kubernetes.spread', () => {
  it('defaults to true and needs no nodePort', () => {
    expect(parseExperiment(experiment('  image: app:v1\n  kubernetes: { nodePort: 30080 }')).deploy?.kubernetes?.spread).toBe(true);
    expect(parseExperiment(experiment('  image: app:v1\n  kubernetes: { spread: false }')).deploy?.kubernetes).toEqual({ spread: false });
  });
});
