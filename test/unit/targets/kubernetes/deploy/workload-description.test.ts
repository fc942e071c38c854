import { describe, expect, it } from 'vitest';
import { workloadDescription } from '../../../../../src/targets/kubernetes/deploy/workload-description.js';
import type { DeploymentSpec } from '../../../../../src/targets/target.js';

const spec: DeploymentSpec = { name: 'web', labels: {}, image: 'rebound/demo-app:v1', replicas: 3, port: 8080, healthPath: '/healthz', restartPolicy: 'always', env: {} };

describe('workloadDescription', () => {
  it('names the Deployment, the image, the spread, the NodePort and the PDB', () => {
    expect(workloadDescription({ ...spec, nodePort: 30080, minAvailable: 2 }, 'rebound-compare')).toBe(
      'Deployment web (3 × rebound/demo-app:v1, spread over the nodes) + NodePort 30080 on 127.0.0.1 + PDB minAvailable 2 in namespace rebound-compare',
    );
  });

  it('says ClusterIP without a NodePort, leaves the PDB out without minAvailable, and says when pods are not spread', () => {
    expect(workloadDescription({ ...spec, spread: false }, 'ns')).toBe('Deployment web (3 × rebound/demo-app:v1, not spread) + Service web (ClusterIP) in namespace ns');
  });

  it('gives the limits and the autoscaler', () => {
    const resources = { cpu: { text: '100m', millicores: 100 }, memory: { text: '64Mi', bytes: 64 * 2 ** 20 } };
    expect(workloadDescription({ ...spec, replicas: 2, resources, autoscale: { min: 2, max: 6, cpuPercent: 50 }, nodePort: 30086 }, 'ns')).toBe(
      'Deployment web (2 × rebound/demo-app:v1, 0.1 CPU and 64 MiB each (requests = limits), spread over the nodes) + NodePort 30086 on 127.0.0.1 + HorizontalPodAutoscaler 2-6 replicas at 50% of the CPU request in namespace ns',
    );
  });
});
