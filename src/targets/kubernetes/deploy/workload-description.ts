import { autoscalerInWords, resourcesInWords } from '../../resources-in-words.js';
import type { DeploymentSpec } from '../../target.js';

/**
 * e.g. "Deployment web (3 × rebound/demo-app:v1, 0.1 CPU and 64 MiB each (requests = limits), spread over the nodes)
 * + NodePort 30080 on 127.0.0.1 + PDB minAvailable 2 + HorizontalPodAutoscaler 3-6 replicas at 50% of the CPU request
 * in namespace rebound-compare".
 */
export function workloadDescription(spec: DeploymentSpec, namespace: string): string {
  const service = spec.nodePort === undefined ? `Service ${spec.name} (ClusterIP)` : `NodePort ${spec.nodePort} on 127.0.0.1`;
  const budget = spec.minAvailable === undefined ? '' : ` + PDB minAvailable ${spec.minAvailable}`;
  const limits = resourcesInWords(spec.resources);
  const pods = [
    `${spec.replicas} × ${spec.image}`,
    ...(limits === undefined ? [] : [`${limits} each (requests = limits)`]),
    spec.spread === false ? 'not spread' : 'spread over the nodes',
  ].join(', ');
  const autoscaler = spec.autoscale === undefined ? '' : ` + ${autoscalerInWords(spec.autoscale)}`;
  return `Deployment ${spec.name} (${pods}) + ${service}${budget}${autoscaler} in namespace ${namespace}`;
}
