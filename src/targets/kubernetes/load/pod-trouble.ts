import type { V1Pod } from '@kubernetes/client-node';

/** Waiting reasons after which a load pod will not start by itself within the load's time. */
const STUCK = new Set(['ErrImagePull', 'ImagePullBackOff', 'ErrImageNeverPull', 'InvalidImageName', 'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);

/**
 * Why a load pod is not running and will not be soon, in words, or undefined: its image cannot be
 * had (on kind nothing is pulled: the image must have been loaded, `bash scripts/kind-cluster.sh up`
 * does), it cannot be created, or no node takes it (load.avoidFaultedNodes can rule every node out).
 */
export function podTrouble(pod: V1Pod): string | undefined {
  for (const status of pod.status?.containerStatuses ?? []) {
    const waiting = status.state?.waiting;
    if (waiting?.reason !== undefined && STUCK.has(waiting.reason)) {
      const image = waiting.reason.includes('Image') ? ` (image ${status.image}; on kind, bash scripts/kind-cluster.sh up loads it)` : '';
      return `its pod cannot start: ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}${image}`;
    }
  }
  const scheduled = pod.status?.conditions?.find((condition) => condition.type === 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') return `its pod cannot be scheduled: ${scheduled.message ?? 'no node fits'}`;
  return undefined;
}
