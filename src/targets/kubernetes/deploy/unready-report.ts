import type { V1Pod } from '@kubernetes/client-node';
import { isPodReady, isTerminating, mainContainerStatus, podName } from '../pod-facts.js';

/**
 * Waiting reasons that do not clear by waiting: with imagePullPolicy Never the kubelet retries
 * ErrImageNeverPull forever, yet only loading the image into the node ends it.
 */
const HOPELESS_REASONS = new Set(['ErrImageNeverPull', 'InvalidImageName']);

export interface UnreadyReport {
  /** e.g. "web-5d8c-x2v: waiting (ErrImageNeverPull: Container image … is not present)". */
  pods: string[];
  hint: string;
  /** A pod is stuck in a way waiting cannot fix (the image is not on the node). */
  hopeless: boolean;
}

/** Why each of the pods that are not ready is not, and what to do about it. */
export function unreadyReport(pods: readonly V1Pod[], context: { image: string; namespace: string; port: number; healthPath: string }): UnreadyReport {
  const unready = pods.filter((pod) => !isPodReady(pod));
  const reasons = unready.map(waitingReason);
  const hopeless = reasons.some((reason) => reason !== undefined && HOPELESS_REASONS.has(reason));
  return { pods: unready.map((pod) => `${podName(pod)}: ${whyNotReady(pod)}`), hint: hintFor(reasons, unready, context), hopeless };
}

/** One pod's state in a few words, from what the API says about it. */
function whyNotReady(pod: V1Pod): string {
  if (isTerminating(pod)) return 'terminating';
  const scheduled = pod.status?.conditions?.find((condition) => condition.type === 'PodScheduled');
  if (scheduled?.status === 'False') return `Pending, not scheduled (${detail(scheduled.reason, scheduled.message)})`;
  const status = mainContainerStatus(pod);
  const restarts = status && status.restartCount > 0 ? `, ${status.restartCount} restart${status.restartCount === 1 ? '' : 's'}` : '';
  if (status?.state?.waiting) return `waiting (${detail(status.state.waiting.reason, status.state.waiting.message)})${restarts}`;
  if (status?.state?.terminated) return `exited (${detail(status.state.terminated.reason, `exit code ${status.state.terminated.exitCode}`)})${restarts}`;
  if (status?.state?.running) return `running, readiness probe not passing${restarts}`;
  return `${pod.status?.phase ?? 'Pending'}${pod.status?.reason ? ` (${pod.status.reason})` : ''}`;
}

function waitingReason(pod: V1Pod): string | undefined {
  if (isTerminating(pod)) return undefined;
  const scheduled = pod.status?.conditions?.find((condition) => condition.type === 'PodScheduled');
  if (scheduled?.status === 'False') return scheduled.reason ?? 'Unschedulable';
  return mainContainerStatus(pod)?.state?.waiting?.reason;
}

function hintFor(reasons: (string | undefined)[], unready: readonly V1Pod[], context: { image: string; namespace: string; port: number; healthPath: string }): string {
  const first = unready[0] === undefined ? '<pod>' : podName(unready[0]);
  if (reasons.some((reason) => reason !== undefined && HOPELESS_REASONS.has(reason))) {
    return `the image ${context.image} is not on the kind nodes and is never pulled (imagePullPolicy Never): build it, then rebound cluster load-image ${context.image}`;
  }
  if (reasons.includes('Unschedulable')) return `no node takes the pods: are the workers Ready and uncordoned (kubectl get nodes)? kubectl -n ${context.namespace} describe pod ${first}`;
  if (reasons.includes('CrashLoopBackOff')) return `the container keeps exiting: kubectl -n ${context.namespace} logs ${first} --previous`;
  return `does the app answer GET ${context.healthPath} on port ${context.port} with 200 (deploy.healthPath, deploy.port)? kubectl -n ${context.namespace} describe pod ${first}`;
}

function detail(reason: string | undefined, message: string | undefined): string {
  const text = [reason, message].filter((part) => part !== undefined && part !== '').join(': ');
  return text === '' ? 'no reason given' : text;
}
