import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../../../src/common/errors.js';
import { checkDeploymentSpec } from '../../../../../src/targets/kubernetes/deploy/check-deployment-spec.js';
import type { DeploymentSpec } from '../../../../../src/targets/target.js';

const spec: DeploymentSpec = {
  name: 'web',
  labels: { app: 'web', 'rebound.dev/deploy': 'web', 'rebound.dev/chaos': 'enabled' },
  image: 'rebound/demo-app:v1',
  replicas: 3,
  port: 8080,
  healthPath: '/healthz',
  restartPolicy: 'always',
  env: {},
  nodePort: 30080,
  minAvailable: 2,
};

const problems = (changed: Partial<DeploymentSpec>, namespace = 'rebound-demo'): string => {
  try {
    checkDeploymentSpec({ ...spec, ...changed }, namespace);
    return '';
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }
};

describe('checkDeploymentSpec', () => {
  it('accepts the demo spec', () => {
    expect(problems({})).toBe('');
  });

  it('refuses names the API server would reject, naming the experiment field', () => {
    expect(problems({ name: 'Web_1' })).toMatch(/metadata\.name "Web_1" is not a valid Kubernetes name/);
    expect(problems({ name: '1web' })).toMatch(/must start with a letter/);
    expect(problems({ name: 'x'.repeat(64) })).toMatch(/metadata\.name/);
    expect(problems({}, 'Rebound Demo')).toMatch(/kubernetes\.namespace "Rebound Demo"/);
  });

  it('refuses label keys and values that are not valid', () => {
    expect(problems({ labels: { app: 'my web' } })).toMatch(/label app: value "my web" is not a valid label value/);
    expect(problems({ labels: { app: `${'a'.repeat(64)}` } })).toMatch(/label app/);
    expect(problems({ labels: { 'bad key!': 'x' } })).toMatch(/label key "bad key!"/);
    expect(problems({ labels: { 'Rebound.Dev/x': 'y' } })).toMatch(/label key/);
    expect(problems({ labels: { 'example.com/tier': 'front_1.a', empty: '' } })).toBe('');
  });

  it('refuses numbers out of range, and lists every problem at once', () => {
    const message = problems({ replicas: 0, port: 70000, nodePort: 8080, healthPath: 'healthz', minAvailable: -1, tolerationSeconds: 1.5 });
    expect(message).toMatch(/deploy\.replicas must be a whole number ≥ 1, got 0/);
    expect(message).toMatch(/deploy\.port must be 1-65535, got 70000/);
    expect(message).toMatch(/deploy\.kubernetes\.nodePort must be 30000-32767, got 8080/);
    expect(message).toMatch(/deploy\.healthPath must start with "\/"/);
    expect(message).toMatch(/minAvailable must be a whole number ≥ 0, got -1/);
    expect(message).toMatch(/tolerationSeconds must be a whole number ≥ 0, got 1\.5/);
  });
});
