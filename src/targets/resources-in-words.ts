import { formatCpu, formatMemory } from '../common/resource-quantity.js';
import type { DeploymentSpec } from './target.js';

// deploy.resources and deploy.autoscale in the words the deploy descriptions and run facts use.

/** "0.1 CPU and 64 MiB", "0.5 CPU", undefined without limits. */
export function resourcesInWords(resources: DeploymentSpec['resources']): string | undefined {
  const parts = [
    ...(resources?.cpu ? [formatCpu(resources.cpu.millicores)] : []),
    ...(resources?.memory ? [formatMemory(resources.memory.bytes)] : []),
  ];
  return parts.length === 0 ? undefined : parts.join(' and ');
}

/** What a Docker host does with deploy.autoscale: nothing, and the report says so. */
export function noAutoscalerSentence(replicas: number): string {
  return `a plain Docker host has no autoscaler; it stays at ${replicas} instance${replicas === 1 ? '' : 's'}`;
}

/** "HorizontalPodAutoscaler 2-6 replicas at 50% of the CPU request" */
export function autoscalerInWords(autoscale: NonNullable<DeploymentSpec['autoscale']>): string {
  return `HorizontalPodAutoscaler ${autoscale.min}-${autoscale.max} replicas at ${autoscale.cpuPercent}% of the CPU request`;
}
