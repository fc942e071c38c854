import type { V1Pod } from '@kubernetes/client-node';
import { pollUntil } from '../../../common/poll-until.js';
import { formatDuration } from '../../../common/duration.js';
import { EnvironmentError, errorMessage } from '../../../common/errors.js';
import { LOOPBACK_NODE_PORTS } from '../kind/kind-config.js';
import type { KubeApi } from '../kube-api.js';
import { kubeCall } from '../kube-errors.js';
import { isPodReady, isTerminating } from '../pod-facts.js';
import { rolloutComplete } from '../rollout-facts.js';
import { unreadyReport } from './unready-report.js';
import { DEPLOY_LABEL } from '../../../common/labels.js';

const POLL_MS = 500;
const HTTP_TIMEOUT_MS = 2000;

/** What "ready" means for a deployed workload. */
export interface WorkloadReadiness {
  name: string;
  namespace: string;
  replicas: number;
  image: string;
  port: number;
  healthPath: string;
  /** http://127.0.0.1:<nodePort><healthPath>, when there is a NodePort. */
  url?: string;
  /** The pods are spread over the nodes (topologySpreadConstraints): restore spreads them again. */
  spread?: boolean;
}

export interface WaitOptions {
  /** "deploy" or "restore", for messages. */
  what: string;
  /** The caller's budget, for messages. */
  timeoutMs: number;
  /** performance.now() ms; default now + timeoutMs (deploy's budget began before its cleanup). */
  deadline?: number;
  signal?: AbortSignal;
}

/**
 * Waits until exactly `replicas` pods of the workload are ready, none terminating, and the URL (the
 * NodePort) answers 200: kube-proxy programs a NodePort a moment after the Service appears, so
 * ready pods alone do not mean the system answers. Throws EnvironmentError naming the pods that
 * are not ready and why on timeout, at once when waiting cannot help (the image is not on the node),
 * and when the signal aborts.
 */
export async function waitForWorkload(api: KubeApi, workload: WorkloadReadiness, options: WaitOptions): Promise<void> {
  const deadline = options.deadline ?? performance.now() + options.timeoutMs;
  const where = `Deployment ${workload.name} in namespace ${workload.namespace}`;
  const result = await pollUntil({
    check: async () => {
      const pods = await listWorkloadPods(api, workload);
      const ready = pods.filter(isPodReady).length;
      // A rollout (or its rollback) still under way is not the deployed state, even while exactly
      // `replicas` pods happen to be ready: the Deployment's status says when it is over.
      const allReady = ready === workload.replicas && pods.length === workload.replicas && !pods.some(isTerminating) && (await rolledOut(api, workload));
      // Ready pods alone do not mean the NodePort answers yet: ask it.
      const answer = allReady && workload.url !== undefined ? await healthCheckFailure(workload.url, options.signal) : undefined;
      return { pods, ready, allReady, answer };
    },
    done: (state) => state.allReady && state.answer === undefined,
    hopeless: (state) => !state.allReady && unreadyReport(state.pods, workload).hopeless,
    timeoutMs: Math.max(0, deadline - performance.now()),
    intervalMs: POLL_MS,
    ...(options.signal && { signal: options.signal }),
  });
  if (result.status === 'done') return;
  const { pods, ready, answer } = result.last!;
  if (result.status === 'hopeless') {
    const report = unreadyReport(pods, workload);
    throw new EnvironmentError(`${options.what}: ${where} cannot become ready: ${report.pods.join('; ')}`, { hint: report.hint });
  }
  if (result.status === 'aborted') throw new EnvironmentError(`${options.what} interrupted: ${where} has ${ready} of ${workload.replicas} pods ready`);
  throw timedOut(pods, ready, answer, workload, where, `${options.what}: not ready within ${formatDuration(options.timeoutMs)}`);
}

async function rolledOut(api: KubeApi, workload: WorkloadReadiness): Promise<boolean> {
  const deployment = await kubeCall(`reading Deployment ${workload.name} in namespace ${workload.namespace}`, api.server, () => api.apps.readNamespacedDeployment({ name: workload.name, namespace: workload.namespace }));
  return rolloutComplete(deployment);
}

async function listWorkloadPods(api: KubeApi, workload: WorkloadReadiness): Promise<V1Pod[]> {
  const list = await kubeCall(`listing the pods of ${workload.name} in namespace ${workload.namespace}`, api.server, () =>
    api.core.listNamespacedPod({ namespace: workload.namespace, labelSelector: `${DEPLOY_LABEL}=${workload.name}` }),
  );
  return list.items;
}

function timedOut(pods: V1Pod[], ready: number, lastAnswer: string | undefined, workload: WorkloadReadiness, where: string, what: string): EnvironmentError {
  if (lastAnswer !== undefined) {
    return new EnvironmentError(`${what}: ${where} has all ${ready} pods ready, but ${workload.url} answers ${lastAnswer}`, {
      hint: `the NodePort must be published on 127.0.0.1 (rebound's kind clusters publish ${LOOPBACK_NODE_PORTS[0]}-${LOOPBACK_NODE_PORTS.at(-1)}); check deploy.kubernetes.nodePort`,
    });
  }
  const report = unreadyReport(pods, workload);
  const live = pods.filter((pod) => !isTerminating(pod)).length;
  const count = live === workload.replicas ? '' : ` (${live} pods exist, ${workload.replicas} wanted)`;
  const details = report.pods.length > 0 ? `: ${report.pods.join('; ')}` : '';
  return new EnvironmentError(`${what}: ${where} has ${ready} of ${workload.replicas} pods ready${count}${details}`, { hint: report.hint });
}

/** undefined when the URL answers 200; else what it answered ("HTTP 503", "ECONNREFUSED"). */
async function healthCheckFailure(url: string, signal: AbortSignal | undefined): Promise<string | undefined> {
  const timeout = AbortSignal.timeout(HTTP_TIMEOUT_MS);
  try {
    const response = await fetch(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    await response.arrayBuffer(); // read it all: the connection goes back to the pool
    return response.status === 200 ? undefined : `HTTP ${response.status}`;
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
    return typeof cause?.code === 'string' ? cause.code : timeout.aborted ? `nothing within ${HTTP_TIMEOUT_MS} ms` : errorMessage(error);
  }
}
