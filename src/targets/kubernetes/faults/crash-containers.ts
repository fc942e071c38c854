import type { V1Pod } from '@kubernetes/client-node';
import { errorMessage } from '../../../common/errors.js';
import { kubeCall } from '../kube-errors.js';
import { mainContainerStatus } from '../pod-facts.js';
import { type FaultContext, type InjectFault, once } from './fault-context.js';

interface Crashed {
  pod: string;
  container: string;
  restartCount: number;
  restartPolicy: string;
}

/**
 * crash = SIGKILL of the main container's process, which the kubelet sees as the container dying
 * (exit 137) and restarts per the pod's restartPolicy (restartCount + 1). The API cannot send a
 * signal, so rebound goes through the node: on kind the node is a container on this Docker engine,
 * `crictl inspect` gives the process id in the node's PID namespace and `kill -9` sends the signal.
 * Any other node: EnvironmentError (exit 3), crash needs node access.
 */
export const crashContainers: InjectFault = async (fault, context) => {
  const crashed: Crashed[] = [];
  for (const name of fault.subjects) crashed.push(await crashPod(name, context));
  const policies = [...new Set(crashed.map((crash) => crash.restartPolicy))].join(', ');
  return {
    note: `SIGKILL of the main process through the kind node (crictl): the kubelet restarts the container under restartPolicy ${policies}${policies.includes('Never') ? ' — Never: it stays down' : ''}; restartCount goes up by one`,
    undo: { target: 'kubernetes', action: 'none', subjects: fault.subjects },
    rollback: once(() => restartsSeen(crashed, context)),
  };
};

async function crashPod(name: string, context: FaultContext): Promise<Crashed> {
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
  await context.kindNodes.exec(node, ['kill', '-9', String(pid)]);
  return { pod: name, container: status.name, restartCount: status.restartCount, restartPolicy: pod.spec?.restartPolicy ?? 'Always' };
}

/** Nothing to undo (the kubelet restarts); report whether each restartCount went up. */
async function restartsSeen(crashed: readonly Crashed[], context: FaultContext): Promise<{ ok: true; action: string }> {
  const parts: string[] = [];
  for (const crash of crashed) {
    try {
      const pod = await context.api.core.readNamespacedPod({ name: crash.pod, namespace: context.namespace });
      const now = mainContainerStatus(pod)?.restartCount ?? crash.restartCount;
      parts.push(`${crash.pod} restartCount ${crash.restartCount} → ${now}`);
    } catch (error) {
      parts.push(`${crash.pod}: ${errorMessage(error)}`);
    }
  }
  return { ok: true, action: `nothing to undo (the kubelet restarts crashed containers): ${parts.join('; ')}` };
}
