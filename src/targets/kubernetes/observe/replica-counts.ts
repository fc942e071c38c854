import type { V1Pod } from '@kubernetes/client-node';
import { isPodReady, isPodRunning } from '../pod-facts.js';

export interface ReplicaCounts {
  desired: number;
  ready: number;
  running: number;
}

/**
 * ready = matched pods whose Ready condition is True and that are not terminating: the same rule as
 * a PodDisruptionBudget's "healthy" count and as what a Service routes to. running = phase Running
 * with every container running, not terminating.
 */
export function replicaCounts(pods: readonly V1Pod[], desired: number): ReplicaCounts {
  return { desired, ready: pods.filter(isPodReady).length, running: pods.filter(isPodRunning).length };
}

export function sameCounts(a: ReplicaCounts | undefined, b: ReplicaCounts): boolean {
  return a !== undefined && a.desired === b.desired && a.ready === b.ready && a.running === b.running;
}
