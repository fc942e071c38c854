import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';

/** The kubelet cannot start the helper and will not by itself (the image is missing or unpullable, the spec is refused). */
const HOPELESS_WAITING = new Set(['ErrImageNeverPull', 'ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);

export type HelperState =
  | { state: 'not-yet' }
  | { state: 'waiting'; reason: string; message: string; hopeless: boolean }
  | { state: 'running' }
  | { state: 'ended'; exitCode: number; message: string };

/** The helper's state in the pod's status (ephemeralContainerStatuses). */
export function helperState(pod: V1Pod, name: string): HelperState {
  const status = pod.status?.ephemeralContainerStatuses?.find((candidate) => candidate.name === name);
  const state = status?.state;
  if (state?.terminated) return { state: 'ended', exitCode: state.terminated.exitCode, message: state.terminated.message ?? '' };
  if (state?.running) return { state: 'running' };
  if (state?.waiting?.reason !== undefined && state.waiting.reason !== 'ContainerCreating') {
    return { state: 'waiting', reason: state.waiting.reason, message: state.waiting.message ?? '', hopeless: HOPELESS_WAITING.has(state.waiting.reason) };
  }
  return { state: 'not-yet' };
}

function runtimeId(containerId: string | undefined): string | undefined {
  return containerId?.replace(/^[a-z]+:\/\//, '');
}

/**
 * Whether the container instance `containerId` has ended, as the kubelet reports it: terminated
 * now (restartPolicy Never, or before the restart), its last state once restarted, or replaced by
 * another instance. The exit code when the API has it.
 */
export function containerEnded(pod: V1Pod, containerName: string, containerId: string): { ended: false } | { ended: true; exitCode?: number; reason?: string } {
  const status: V1ContainerStatus | undefined = pod.status?.containerStatuses?.find((candidate) => candidate.name === containerName);
  if (status === undefined) return { ended: false };
  for (const terminated of [status.state?.terminated, status.lastState?.terminated]) {
    if (terminated !== undefined && runtimeId(terminated.containerID) === containerId) {
      return { ended: true, exitCode: terminated.exitCode, ...(terminated.reason !== undefined && { reason: terminated.reason }) };
    }
  }
  const current = runtimeId(status.containerID);
  return current !== undefined && current !== containerId ? { ended: true } : { ended: false };
}
