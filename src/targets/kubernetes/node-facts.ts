import type { V1Node } from '@kubernetes/client-node';
import type { Host } from '../target.js';
import { epochMs } from './pod-facts.js';

const CONTROL_PLANE_LABELS = ['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master'];

export function nodeName(node: V1Node): string {
  return node.metadata?.name ?? '';
}

export function isControlPlane(node: V1Node): boolean {
  const labels = node.metadata?.labels ?? {};
  return CONTROL_PLANE_LABELS.some((label) => label in labels);
}

export function nodeReadyCondition(node: V1Node) {
  return node.status?.conditions?.find((condition) => condition.type === 'Ready');
}

export function isNodeReady(node: V1Node): boolean {
  return nodeReadyCondition(node)?.status === 'True';
}

export function isSchedulable(node: V1Node): boolean {
  return node.spec?.unschedulable !== true;
}

/** The node's Ready condition as a timeline node entry: state, reason and the API's transition time. */
export function nodeState(node: V1Node): { ready: boolean; schedulable: boolean; reason?: string; engineTime?: number } {
  const condition = nodeReadyCondition(node);
  const engineTime = epochMs(condition?.lastTransitionTime);
  return {
    ready: condition?.status === 'True',
    schedulable: isSchedulable(node),
    ...(condition?.reason !== undefined && { reason: condition.reason }),
    ...(engineTime !== undefined && { engineTime }),
  };
}

export const CONTROL_PLANE_REASON = 'control-plane node: rebound never drains or fails it (the API server runs there)';

export function toHost(node: V1Node, instanceCount: number): Host {
  return {
    name: nodeName(node),
    role: isControlPlane(node) ? 'control-plane' : 'worker',
    ready: isNodeReady(node),
    schedulable: isSchedulable(node),
    instanceCount,
    ...(isControlPlane(node) && { protectedReason: CONTROL_PLANE_REASON }),
  };
}
