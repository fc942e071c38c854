import { describe, expect, it } from 'vitest';
import { dockerResources } from '../../../../src/targets/docker/create-replica.js';
import { describeDeployment } from '../../../../src/targets/docker/deploy-containers.js';
import type { DeploymentSpec } from '../../../../src/targets/target.js';

const spec: DeploymentSpec = { name: 'web', labels: {}, image: 'rebound/demo-app:v1', replicas: 2, port: 8080, healthPath: '/healthz', restartPolicy: 'always', env: {}, hostPort: 18090 };
const resources = { cpu: { text: '100m', millicores: 100 }, memory: { text: '64Mi', bytes: 64 * 2 ** 20 } };

describe('dockerResources', () => {
  it('is --cpus as NanoCpus and --memory with no swap on top (a Kubernetes container never swaps)', () => {
    expect(dockerResources({ resources })).toEqual({ NanoCpus: 100_000_000, Memory: 67_108_864, MemorySwap: 67_108_864 });
    expect(dockerResources({ resources: { cpu: { text: '1500m', millicores: 1500 } } })).toEqual({ NanoCpus: 1_500_000_000 });
    expect(dockerResources({})).toEqual({});
  });
});

describe('describeDeployment', () => {
  it('gives the limits, and with autoscale says a Docker host has none', () => {
    expect(describeDeployment(spec)).toBe('2 containers web-0..1 of rebound/demo-app:v1, restart always, 127.0.0.1:18090-18091');
    expect(describeDeployment({ ...spec, resources, autoscale: { min: 2, max: 6, cpuPercent: 50 } })).toBe(
      '2 containers web-0..1 of rebound/demo-app:v1, restart always, 127.0.0.1:18090-18091, 0.1 CPU and 64 MiB each (--cpus/--memory); a plain Docker host has no autoscaler; it stays at 2 instances',
    );
  });
});
