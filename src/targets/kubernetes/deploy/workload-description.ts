import type { DeploymentSpec } from '../../target.js';

/** e.g. "Deployment web (3 × rebound/demo-app:v1) + NodePort 30080 on 127.0.0.1 + PDB minAvailable 2 in namespace rebound-compare". */
export function workloadDescription(spec: DeploymentSpec, namespace: string): string {
  const service = spec.nodePort === undefined ? `Service ${spec.name} (ClusterIP)` : `NodePort ${spec.nodePort} on 127.0.0.1`;
  const budget = spec.minAvailable === undefined ? '' : ` + PDB minAvailable ${spec.minAvailable}`;
  return `Deployment ${spec.name} (${spec.replicas} × ${spec.image}) + ${service}${budget} in namespace ${namespace}`;
}
