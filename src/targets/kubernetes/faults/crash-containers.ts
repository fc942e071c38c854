import type { V1Pod } from '@kubernetes/client-node';
import { EnvironmentError, errorMessage } from '../../../common/errors.js';
import { crashThroughHelper, type HelperCrash, helperImageOf, helperState } from '../ephemeral/index.js';
import type { KindNode } from '../kind/kind-nodes.js';
import { kubeCall } from '../kube-errors.js';
import { mainContainerStatus } from '../pod-facts.js';
import type { KubernetesFault, KubernetesFaultContext, KubernetesUndoContext } from './fault-context.js';

interface Crashed {
  pod: string;
  container: string;
  restartCount: number;
  /** The ephemeral container that did it (absent: through the node). */
  helper?: string;
}

/**
 * crash = the main container's process ends abruptly, which the kubelet sees as the container
 * dying and restarts per the pod's restartPolicy (restartCount + 1). The API cannot send a signal,
 * so rebound takes one of two routes (kubernetes.instanceFaults, default auto: the first that works):
 * - node: on kind the node is a container on this Docker engine; `crictl inspect` gives the
 *   process id in the node's PID namespace and `kill -9` sends SIGKILL (exit 137);
 * - ephemeral: any cluster that allows ephemeral containers (../ephemeral/): a helper in the
 *   target's PID namespace ends it — SIGKILL when the pod shares its PID namespace, else a signal
 *   the app handles (a Go runtime exits with code 2 on SIGQUIT), else a clear refusal (exit 3).
 */
export const crashContainers: KubernetesFault<'crash'> = {
  planUndo: (_fault, context) => ({ action: 'kubelet-restarts', namespace: context.namespace, pods: [] }),
  async inject(fault, context, run) {
    const crashed: Crashed[] = [];
    const policies = new Set<string>();
    const helperNotes: string[] = [];
    const record = () => run.record({ action: 'kubelet-restarts', namespace: context.namespace, pods: [...crashed] });
    for (const name of fault.subjects) {
      const target = await crashTarget(name, context);
      policies.add(target.restartPolicy);
      const route = await routeOf(target.nodeName, context);
      if ('node' in route) {
        const pid = await nodePid(route.node, target.containerId, name, context);
        crashed.push(target.crashed);
        record();
        await context.kindNodes.exec(route.node, ['kill', '-9', String(pid)]);
        continue;
      }
      const helperCrash = await crashThroughHelper(context.api, {
        namespace: context.namespace,
        pod: target.pod,
        container: target.crashed.container,
        containerId: target.containerId,
        image: helperImageOf(context.instanceFaults.helperImage),
        recordHelper: (helper) => {
          crashed.push({ ...target.crashed, helper });
          record();
        },
        ...(run.signal && { signal: run.signal }),
      }).catch((error: unknown) => {
        throw route.nodeMissing === undefined || !(error instanceof EnvironmentError) ? error : withoutNodeAccess(error, target.nodeName, route.nodeMissing);
      });
      helperNotes.push(helperNote(name, helperCrash, route.nodeMissing === undefined ? 'kubernetes.instanceFaults: ephemeral' : 'no node access'));
    }
    const policy = [...policies].join(', ');
    const stays = policies.has('Never') ? ' — Never: it stays down' : '';
    const nodeNote = `SIGKILL of the main process through the kind node (crictl): the kubelet restarts the container under restartPolicy ${policy}${stays}; restartCount goes up by one`;
    const note =
      helperNotes.length === 0
        ? nodeNote
        : `${helperNotes.join('; ')}; the kubelet restarts the container under restartPolicy ${policy}${stays}; restartCount goes up by one${helperNotes.length < crashed.length ? `; the others: ${nodeNote}` : ''}`;
    return {
      undo: { action: 'kubelet-restarts', namespace: context.namespace, pods: crashed },
      note,
      ...(policies.has('Never') && { facts: { staysDown: 'the pod\'s restartPolicy is Never: the kubelet does not restart its containers' } }),
    };
  },
  undo: (record, context) => restartsSeen(record.namespace, record.pods, context),
};

async function crashTarget(name: string, context: KubernetesFaultContext) {
  const pod: V1Pod = await kubeCall(`reading pod ${name}`, context.api.server, () => context.api.core.readNamespacedPod({ name, namespace: context.namespace }));
  const status = mainContainerStatus(pod);
  const containerId = status?.containerID?.replace(/^[a-z]+:\/\//, '');
  const nodeName = pod.spec?.nodeName;
  if (!status || !containerId || !nodeName || status.state?.running === undefined) {
    throw new Error(`pod ${name} has no running main container to crash (state: ${JSON.stringify(status?.state ?? 'none')})`);
  }
  return { pod, containerId, nodeName, crashed: { pod: name, container: status.name, restartCount: status.restartCount }, restartPolicy: pod.spec?.restartPolicy ?? 'Always' };
}

/** node: the kind node to go through; else the ephemeral route, and why not the node when auto chose it. */
async function routeOf(nodeName: string, context: KubernetesFaultContext): Promise<{ node: KindNode } | { nodeMissing?: string }> {
  const route = context.instanceFaults.route;
  if (route === 'ephemeral') return {};
  if (route === 'node') return { node: await context.kindNodes.require(nodeName, 'crash') };
  const found = await context.kindNodes.find(nodeName);
  return 'missing' in found ? { nodeMissing: found.missing } : { node: found };
}

async function nodePid(node: KindNode, containerId: string, podName: string, context: KubernetesFaultContext): Promise<number> {
  const inspected = JSON.parse(await context.kindNodes.exec(node, ['crictl', 'inspect', containerId])) as { info?: { pid?: number } };
  const pid = inspected.info?.pid;
  if (typeof pid !== 'number' || pid <= 1) throw new Error(`crictl inspect ${containerId} on ${node.name} gave no process id for pod ${podName}`);
  return pid;
}

/** auto found no node access and the ephemeral route refused: both reasons, exit 3. */
function withoutNodeAccess(error: EnvironmentError, nodeName: string, nodeMissing: string): EnvironmentError {
  return new EnvironmentError(`crash needs node access or an ephemeral container: node ${nodeName} is not a kind node container on this machine (${nodeMissing}), and ${error.message}`, {
    ...(error.hint !== undefined && { hint: `${error.hint}; on other clusters kill or drain-node need neither` }),
    cause: error,
  });
}

function helperNote(pod: string, crash: HelperCrash, why: string): string {
  const { report } = crash;
  const how =
    report.outcome === 'signalled'
      ? report.pid === 1
        ? `${report.signal} to ${report.comm}, PID 1 of its PID namespace (SIGKILL from inside that namespace never reaches its init; the app's handler ends it)`
        : `SIGKILL of ${report.comm} (PID ${report.pid}: the pod shares one PID namespace, so it is not the namespace's init)`
      : `the helper's report: ${report.outcome === 'unknown' ? report.text || 'none' : report.outcome}`;
  const exit = crash.exitCode === undefined ? '' : `, exit code ${crash.exitCode}${crash.reason ? ` (${crash.reason})` : ''}`;
  return `${pod}: crash through ephemeral container ${crash.helper} (${why}): ${how}; the container ended${exit}, seen ${crash.endSeenAfterMs} ms after the helper was added; the helper stays in the pod's spec until the pod is deleted`;
}

/** Nothing to undo (the kubelet restarts); report whether each restartCount went up, and what each helper left. */
async function restartsSeen(namespace: string, crashed: readonly Crashed[], { api }: KubernetesUndoContext) {
  const parts: string[] = [];
  for (const crash of crashed) {
    try {
      const pod = await api.core.readNamespacedPod({ name: crash.pod, namespace });
      const helper = crash.helper === undefined ? '' : `, ${helperLeft(pod, crash.helper)}`;
      parts.push(`${crash.pod} restartCount ${crash.restartCount} → ${mainContainerStatus(pod)?.restartCount ?? crash.restartCount}${helper}`);
    } catch (error) {
      parts.push(`${crash.pod}: ${errorMessage(error)}`);
    }
  }
  return { ok: true, action: `nothing to undo (the kubelet restarts crashed containers)${parts.length > 0 ? `: ${parts.join('; ')}` : ''}` };
}

/** An ephemeral container cannot be removed: say where it is, and that it no longer runs (it ends within its own deadline). */
function helperLeft(pod: V1Pod, helper: string): string {
  const state = helperState(pod, helper);
  const now = state.state === 'ended' ? `ended, exit ${state.exitCode}` : state.state === 'waiting' ? `waiting: ${state.reason}` : state.state === 'running' ? 'still running (it ends by itself within 40 s)' : 'not started';
  return `ephemeral container ${helper} ${now}, kept in the pod's spec until the pod is deleted`;
}
