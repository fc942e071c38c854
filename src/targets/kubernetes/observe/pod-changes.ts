import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { epochMs, readyCondition } from '../pod-facts.js';

// What changed in a pod between two watch events, as timeline instance-event data. Pure: the pod
// watch keeps the previous snapshot and calls this on every update.
//
// Engine timestamps (engineTime) and their precision — every one of these is a metav1.Time,
// serialized as RFC 3339 with whole seconds, so it is 1 s precision:
//   scheduled   PodScheduled condition lastTransitionTime
//   start       containerStatuses[].state.running.startedAt
//   die         state.terminated.finishedAt / lastState.terminated.finishedAt
//   restart     the new state.running.startedAt
//   ready       Ready condition lastTransitionTime (also unready)
//   terminating deletionTimestamp − deletionGracePeriodSeconds (when the deletion was requested)
// Only Events' eventTime (metav1.MicroTime, written by the scheduler and other events.k8s.io/v1
// clients) carries microseconds; see event-entry.ts.

interface ContainerSnapshot {
  restartCount: number;
  startedAt?: number;
  finishedAt?: number;
  /** The reason of that termination (OOMKilled, Error, Completed). */
  exitReason?: string;
  /** state.waiting.reason, e.g. CrashLoopBackOff. */
  waiting?: string;
}

export interface PodSnapshot {
  node?: string;
  /** The Ready condition alone (terminating is tracked separately). */
  ready: boolean;
  terminating: boolean;
  phase?: string;
  containers: Record<string, ContainerSnapshot>;
}

export interface PodChange {
  action: string;
  engineTime?: number;
  container?: string;
  exitCode?: number;
  restartCount?: number;
  node?: string;
  reason?: string;
  /** back-off: the kubelet's message, with the back-off in force ("back-off 20s restarting failed container=…"). */
  message?: string;
}

/** A pod before anything happened to it: diffing a new pod against this reports all it did. */
export const UNSEEN_POD: PodSnapshot = { ready: false, terminating: false, containers: {} };

export function snapshotOf(pod: V1Pod): PodSnapshot {
  const containers: Record<string, ContainerSnapshot> = {};
  for (const status of pod.status?.containerStatuses ?? []) containers[status.name] = containerSnapshot(status);
  return {
    ...(pod.spec?.nodeName !== undefined && { node: pod.spec.nodeName }),
    ready: readyCondition(pod)?.status === 'True',
    terminating: pod.metadata?.deletionTimestamp !== undefined && pod.metadata?.deletionTimestamp !== null,
    ...(pod.status?.phase !== undefined && { phase: pod.status.phase }),
    containers,
  };
}

function containerSnapshot(status: V1ContainerStatus): ContainerSnapshot {
  const startedAt = epochMs(status.state?.running?.startedAt);
  const finishedAt = epochMs(status.state?.terminated?.finishedAt) ?? epochMs(status.lastState?.terminated?.finishedAt);
  const exitReason = (status.state?.terminated ?? status.lastState?.terminated)?.reason;
  const waiting = status.state?.waiting?.reason;
  return {
    restartCount: status.restartCount,
    ...(startedAt !== undefined && { startedAt }),
    ...(finishedAt !== undefined && { finishedAt }),
    ...(exitReason !== undefined && { exitReason }),
    ...(waiting !== undefined && { waiting }),
  };
}

/** The happenings between `before` and `pod`, in the order they happened. */
export function podChanges(before: PodSnapshot, pod: V1Pod): PodChange[] {
  const after = snapshotOf(pod);
  const changes: PodChange[] = [];
  if (before.node === undefined && after.node !== undefined) {
    const scheduled = pod.status?.conditions?.find((condition) => condition.type === 'PodScheduled');
    changes.push(withTime({ action: 'scheduled', node: after.node }, epochMs(scheduled?.lastTransitionTime)));
  }
  for (const status of pod.status?.containerStatuses ?? []) changes.push(...containerChanges(before.containers[status.name], status, after.node));
  if (before.ready !== after.ready) {
    changes.push(withTime({ action: after.ready ? 'ready' : 'unready', ...(after.node && { node: after.node }) }, epochMs(readyCondition(pod)?.lastTransitionTime)));
  }
  if (!before.terminating && after.terminating) changes.push(withTime({ action: 'terminating', ...(after.node && { node: after.node }) }, deletionRequestedAt(pod)));
  if (before.phase !== after.phase && (after.phase === 'Failed' || after.phase === 'Succeeded')) {
    changes.push({ action: after.phase === 'Failed' ? 'failed' : 'completed', ...(pod.status?.reason && { reason: pod.status.reason }) });
  }
  return changes;
}

function containerChanges(before: ContainerSnapshot | undefined, status: V1ContainerStatus, node: string | undefined): PodChange[] {
  const now = containerSnapshot(status);
  const base = { container: status.name, ...(node !== undefined && { node }) };
  const changes: PodChange[] = [];
  if (now.finishedAt !== undefined && now.finishedAt !== before?.finishedAt) {
    const terminated = status.state?.terminated ?? status.lastState?.terminated;
    changes.push(withTime({ action: 'die', ...base, ...(terminated && { exitCode: terminated.exitCode }), ...(terminated?.reason && { reason: terminated.reason }) }, now.finishedAt));
  }
  // The same exit, its reason changed: containerd can handle a container's exit before its OOM event
  // (two events of the shim, either order), so the kubelet first reports Error, then OOMKilled (seen
  // here on an OOM kill whose victim exited at once). Said as its own happening, not a second death.
  if (now.finishedAt !== undefined && now.finishedAt === before?.finishedAt && now.exitReason !== undefined && now.exitReason !== before.exitReason) {
    const terminated = status.state?.terminated ?? status.lastState?.terminated;
    changes.push({ action: 'exit-reason', ...base, reason: now.exitReason, ...(terminated && { exitCode: terminated.exitCode }) });
  }
  if (before !== undefined && now.restartCount > before.restartCount) {
    changes.push(withTime({ action: 'restart', ...base, restartCount: now.restartCount }, now.startedAt));
  }
  if (now.startedAt !== undefined && now.startedAt !== before?.startedAt) {
    changes.push(withTime({ action: 'start', ...base, restartCount: now.restartCount }, now.startedAt));
  }
  // The kubelet waits before restarting a container that keeps dying: 10 s, doubling to 5 min.
  if (now.waiting === 'CrashLoopBackOff' && before?.waiting !== 'CrashLoopBackOff') {
    const message = status.state?.waiting?.message;
    changes.push({ action: 'back-off', ...base, reason: 'CrashLoopBackOff', restartCount: now.restartCount, ...(message && { message }) });
  }
  return changes;
}

/** deletionTimestamp is when the pod must be gone (request + grace); the request was grace earlier. */
export function deletionRequestedAt(pod: V1Pod): number | undefined {
  const deadline = epochMs(pod.metadata?.deletionTimestamp);
  if (deadline === undefined) return undefined;
  return deadline - (pod.metadata?.deletionGracePeriodSeconds ?? 0) * 1000;
}

function withTime(change: PodChange, engineTime: number | undefined): PodChange {
  return engineTime === undefined ? change : { ...change, engineTime };
}
