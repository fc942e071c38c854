import { describe, expect, it } from 'vitest';
import { workloadDescription } from '../../../../../src/targets/kubernetes/deploy/workload-description.js';
import type { DeploymentSpec } from '../../../../../src/targets/target.js';

const spec: DeploymentSpec = { name: 'web', labels: {}, image: 'rebound/demo-app:v1', replicas: 3, port: 8080, healthPath: '/healthz', restartPolicy: 'always', env: {} };

describe('workloadDescription', () => {
  it('names the Deployment, the image, the NodePort and the PDB', () => {
    expect(workloadDescription({ ...spec, nodePort: 30080, minAvailable: 2 }, 'rebound-compare')).toBe(
      'Deployment web (3 × rebound/demo-app:v1) + NodePort 30080 on 127.0.0.1 + PDB minAvailable 2 in namespace rebound-compare',
    );
  });

  it('says ClusterIP without a NodePort, and leaves the PDB out without minAvailable', () => {
    expect(workloadDescription(spec, 'ns')).toBe('Deployment web (3 × rebound/demo-app:v1) + Service web (ClusterIP) in namespace ns');
  });
});
