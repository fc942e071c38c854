import type { V1Pod } from '@kubernetes/client-node';
import { EnvironmentError } from '../../../common/errors.js';
import { type PollResult, pollUntil } from '../../../common/poll-until.js';
import type { KubeApi } from '../kube-api.js';
import { kubeCall } from '../kube-errors.js';
import { addEphemeralContainer } from './add-ephemeral-container.js';
import { type CrashReport, parseCrashReport } from './crash-script.js';
import { ephemeralContainersMissing } from './ephemeral-containers-supported.js';
import { crashHelperSpec, type HelperImage, helperSecurityContext, newHelperName } from './helper-spec.js';
import { helperImageOnNode } from './helper-image-on-node.js';
import { containerEnded, helperState, type HelperState } from './helper-status.js';

/** A helper the kubelet has not started within this does nothing (it checks the wall clock itself). */
const START_WITHIN_S = 30;
/** How long the helper waits for the process to end after its signal. */
const HELPER_WAIT_S = 10;
/** rebound's wait for the outcome: the helper's whole life, plus the kubelet's next status update. */
const OUTCOME_TIMEOUT_MS = (START_WITHIN_S + HELPER_WAIT_S + 5) * 1000;
/** After the end is seen, how long to wait for the helper's own line (which signal it sent). */
const REPORT_TIMEOUT_MS = 5_000;
const POLL_MS = 250;

export interface HelperCrashRequest {
  namespace: string;
  pod: V1Pod;
  /** The main container's name and its running instance's runtime id. */
  container: string;
  containerId: string;
  image: HelperImage;
  /** Journals the helper's name before it is added (it cannot be taken back). */
  recordHelper(name: string): void;
  signal?: AbortSignal;
}

export interface HelperCrash {
  helper: string;
  report: CrashReport;
  /** The ended instance's exit code and reason as the kubelet recorded them (exit 2 for a Go runtime's SIGQUIT). */
  exitCode?: number;
  reason?: string;
  /** From the request that added the helper to the API showing the container ended (monotonic, polled every 250 ms). */
  endSeenAfterMs: number;
}

/**
 * crash without node access: an ephemeral container in the target container's PID namespace ends
 * its main process (crash-script.ts says how and when it cannot). Everything that can refuse —
 * the API, RBAC, PodSecurity, a missing helper image — is asked before the pod is touched.
 */
export async function crashThroughHelper(api: KubeApi, request: HelperCrashRequest): Promise<HelperCrash> {
  const podName = request.pod.metadata?.name ?? '?';
  const missing = await ephemeralContainersMissing(api);
  if (missing !== undefined) throw new EnvironmentError(`crash through an ephemeral container is not possible: ${missing}`, { hint: 'use a cluster of Kubernetes ≥ 1.25, or node access (kind)' });
  const securityContext = helperSecurityContext(request.pod, request.container);
  if ('refused' in securityContext) throw new EnvironmentError(`crash through an ephemeral container: ${securityContext.refused}`, { hint: 'set runAsUser on the pod or the container, or use node access (kind)' });
  const nodeName = request.pod.spec?.nodeName;
  if (request.image.pullPolicy === 'Never' && nodeName !== undefined && (await helperImageOnNode(api, nodeName, request.image.image)) === 'absent') {
    throw new EnvironmentError(`the crash helper image ${request.image.image} is not on node ${nodeName} (node.status.images), and rebound does not let the kubelet pull its own image from a registry`, {
      hint: `load it into the node (kind: rebound cluster load-image, or kind load docker-image ${request.image.image}), or push it to a registry the nodes reach and name it in kubernetes.helperImage`,
    });
  }
  const helper = newHelperName();
  const container = crashHelperSpec(request.container, {
    name: helper,
    image: request.image,
    containerId: request.containerId,
    waitSeconds: HELPER_WAIT_S,
    notAfter: Math.floor(Date.now() / 1000) + START_WITHIN_S,
    securityContext,
  });
  const addition = { namespace: request.namespace, pod: podName, container };
  await addEphemeralContainer(api, { ...addition, dryRun: true });
  request.recordHelper(helper);
  const requestedAt = performance.now();
  await addEphemeralContainer(api, { ...addition, dryRun: false });
  return awaitOutcome(api, request, helper, requestedAt);
}

async function awaitOutcome(api: KubeApi, request: HelperCrashRequest, helper: string, requestedAt: number): Promise<HelperCrash> {
  const podName = request.pod.metadata?.name ?? '?';
  const read = () => kubeCall(`reading pod ${podName}`, api.server, () => api.core.readNamespacedPod({ name: podName, namespace: request.namespace }));
  const observe = async () => {
    const pod = await read();
    return { ended: containerEnded(pod, request.container, request.containerId), helper: helperState(pod, helper), at: performance.now() };
  };
  const failed = (seen: { helper: HelperState }) => (seen.helper.state === 'ended' && seen.helper.exitCode !== 0 && seen.helper.exitCode !== 137) || (seen.helper.state === 'waiting' && seen.helper.hopeless);
  const result = await pollUntil({ check: observe, done: (seen) => seen.ended.ended || failed(seen), timeoutMs: OUTCOME_TIMEOUT_MS, intervalMs: POLL_MS, ...(request.signal && { signal: request.signal }) });
  const left = `ephemeral container ${helper} stays in pod ${podName}'s spec: ephemeral containers cannot be removed, it goes with the pod`;
  if (result.status !== 'done') {
    throw new Error(`the crash helper ${helper} did not end pod ${podName}'s container within ${OUTCOME_TIMEOUT_MS / 1000} s (${result.status}; helper ${describeHelper(result.last?.helper)}); ${left}`);
  }
  const seen = result.value;
  if (!seen.ended.ended) throw helperFailure(seen.helper, request, podName, left);
  // The helper's line names the signal; the kubelet may report it a status update after the end.
  const final = seen.helper.state === 'ended' ? seen : lastSeen(await pollUntil({ check: observe, done: (next) => next.helper.state === 'ended', timeoutMs: REPORT_TIMEOUT_MS, intervalMs: POLL_MS, retryErrors: true })) ?? seen;
  return {
    helper,
    report: final.helper.state === 'ended' ? parseCrashReport(final.helper.message) : { outcome: 'unknown', text: `helper ${describeHelper(final.helper)}` },
    ...(seen.ended.exitCode !== undefined && { exitCode: seen.ended.exitCode }),
    ...(seen.ended.reason !== undefined && { reason: seen.ended.reason }),
    endSeenAfterMs: Math.round(seen.at - requestedAt),
  };
}

function helperFailure(state: HelperState, request: HelperCrashRequest, podName: string, left: string): Error {
  if (state.state === 'waiting') {
    return new EnvironmentError(`the kubelet cannot start the crash helper for pod ${podName} (${request.image.image}): ${state.reason}${state.message ? ` — ${state.message}` : ''}; ${left}`, {
      hint: 'the helper image must be on the node (or pullable when named in kubernetes.helperImage)',
    });
  }
  const report = parseCrashReport(state.state === 'ended' ? state.message : undefined);
  const exit = state.state === 'ended' ? ` (helper exit ${state.exitCode})` : '';
  switch (report.outcome) {
    case 'no-handler':
      return new EnvironmentError(
        `pod ${podName}: the main process is PID 1 of its PID namespace (${report.comm}) and handles neither SIGQUIT nor SIGABRT (SigCgt ${report.caught}); the kernel delivers to a namespace's init only signals it handles when they come from inside, SIGKILL never, so no ephemeral container can crash it${exit}; ${left}`,
        { hint: 'use node access (kind), shareProcessNamespace: true in the pod (the helper can then SIGKILL it), or kill (pod delete)' },
      );
    case 'no-main-process':
      return new EnvironmentError(`pod ${podName}: the helper found no process of container ${request.container} in its PID namespace (processes whose parent is outside: ${report.roots || 'none'}); the container runtime may not support targetContainerName${exit}; ${left}`, { hint: 'use node access (kind) or kill' });
    case 'kill-failed':
      return new EnvironmentError(`pod ${podName}: the helper may not send ${report.signal} to PID ${report.pid} (${report.comm}): the process runs as another user than the helper${exit}; ${left}`, { hint: 'set runAsUser on the pod or container, so the helper runs as the same user' });
    case 'survived':
      return new Error(`pod ${podName}: PID ${report.pid} (${report.comm}) handled ${report.signal} and was still running ${report.waitS} s later (a runtime whose handler does not exit, e.g. a JVM's thread dump): not a crash${exit}; ${left}`);
    case 'too-late':
      return new Error(`pod ${podName}: the kubelet started the crash helper more than ${START_WITHIN_S} s after it was added, so it did nothing${exit}; ${left}`);
    default:
      return new Error(`pod ${podName}: the crash helper ended without crashing the container${exit}: ${report.outcome === 'unknown' ? report.text || 'no message' : report.outcome}; ${left}`);
  }
}

function lastSeen<T>(result: PollResult<T>): T | undefined {
  return result.status === 'done' ? result.value : result.last;
}

function describeHelper(state: HelperState | undefined): string {
  if (state === undefined) return 'not seen';
  if (state.state === 'waiting') return `waiting: ${state.reason}`;
  if (state.state === 'ended') return `ended with exit ${state.exitCode}`;
  return state.state;
}
