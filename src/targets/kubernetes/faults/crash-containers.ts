import type { V1Pod } from '@kubernetes/client-node';
import { errorMessage } from '../../../common/errors.js';
import { kubeCall } from '../kube-errors.js';
import { mainContainerStatus } from '../pod-facts.js';
import type { KubernetesFault, KubernetesFaultContext, KubernetesUndoContext } from './fault-context.js';

interface Crashed {
  pod: string;
  container: string;
  restartCount: number;
}

/**
 * crash = SIGKILL of the main container's process, which the kubelet sees as the container dying
 * (exit 137) and restarts per the pod's restartPolicy (restartCount + 1). The API cannot send a
 * signal, so rebound goes through the node: on kind the node is a container on this Docker engine,
 * `crictl inspect` gives the process id in the node's PID namespace and `kill -9` sends the signal.
 * Any other node: EnvironmentError (exit 3), crash needs node access.
 */
export const crashContainers: KubernetesFault<'crash'> = {
  planUndo: (_fault, context) => ({ action: 'kubelet-restarts', namespace: context.namespace, pods: [] }),
  async inject(fault, context, run) {
    const crashed: Crashed[] = [];
    const policies = new Set<string>();
    for (const name of fault.subjects) {
      const { target, restartPolicy } = await crashTarget(name, context);
      crashed.push(target.crashed);
      policies.add(restartPolicy);
      run.record({ action: 'kubelet-restarts', namespace: context.namespace, pods: [...crashed] });
      await context.kindNodes.exec(target.node, ['kill', '-9', String(target.pid)]);
    }
    const policy = [...policies].join(', ');
    return {
      undo: { action: 'kubelet-restarts', namespace: context.namespace, pods: crashed },
      note: `SIGKILL of the main process through the kind node (crictl): the kubelet restarts the container under restartPolicy ${policy}${policies.has('Never') ? ' — Never: it stays down' : ''}; restartCount goes up by one`,
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
  const node = await context.kindNodes.require(nodeName, 'crash');
  const inspected = JSON.parse(await context.kindNodes.exec(node, ['crictl', 'inspect', containerId])) as { info?: { pid?: number } };
  const pid = inspected.info?.pid;
  if (typeof pid !== 'number' || pid <= 1) throw new Error(`crictl inspect ${containerId} on ${nodeName} gave no process id for pod ${name}`);
  return { target: { node, pid, crashed: { pod: name, container: status.name, restartCount: status.restartCount } }, restartPolicy: pod.spec?.restartPolicy ?? 'Always' };
}

/** Nothing to undo (the kubelet restarts); report whether each restartCount went up. */
async function restartsSeen(namespace: string, crashed: readonly Crashed[], { api }: KubernetesUndoContext) {
  const parts: string[] = [];
  for (const crash of crashed) {
    try {
      const pod = await api.core.readNamespacedPod({ name: crash.pod, namespace });
      parts.push(`${crash.pod} restartCount ${crash.restartCount} → ${mainContainerStatus(pod)?.restartCount ?? crash.restartCount}`);
    } catch (error) {
      parts.push(`${crash.pod}: ${errorMessage(error)}`);
    }
  }
  return { ok: true, action: `nothing to undo (the kubelet restarts crashed containers)${parts.length > 0 ? `: ${parts.join('; ')}` : ''}` };
}
