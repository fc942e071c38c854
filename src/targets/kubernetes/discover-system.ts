import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { UsageError } from '../../common/errors.js';
import type { Discovery, Selector } from '../target.js';
import type { KubeApi } from './kube-api.js';
import { kubeCall, statusOf } from './kube-errors.js';
import { nodeName, toHost } from './node-facts.js';
import { type Owner, readOwnerReplicas, resolveOwners } from './owners.js';
import { isTerminating, labelSelectorOf, podMatches, toInstance } from './pod-facts.js';

export interface SystemPods {
  /** Matched pods, terminating ones excluded (they are on their way out). */
  pods: V1Pod[];
  owners: Owner[];
}

/** The selected pods (labels by the API, name glob here) and their owners. */
export async function listSystemPods(api: KubeApi, selector: Selector, namespace: string): Promise<SystemPods> {
  const list = await kubeCall(`listing pods in namespace ${namespace}`, api.server, () =>
    api.core.listNamespacedPod({ namespace, labelSelector: labelSelectorOf(selector.labels) }),
  );
  const pods = list.items.filter((pod) => podMatches(pod, selector) && !isTerminating(pod));
  const owners = selector.owner ? [selector.owner] : await kubeCall('resolving pod owners', api.server, () => resolveOwners(api, namespace, pods));
  return { pods, owners };
}

/** Pods, their nodes, and the desired count from the owners' specs (else the number of pods). */
export async function discoverSystem(api: KubeApi, selector: Selector, namespace: string): Promise<Discovery> {
  await requireNamespace(api, namespace);
  const { pods, owners } = await listSystemPods(api, selector, namespace);
  const replicas = await Promise.all(owners.map((owner) => readOwnerReplicas(api, namespace, owner)));
  const known = replicas.filter((count): count is number => count !== undefined);
  const desired = known.length > 0 ? known.reduce((sum, count) => sum + count, 0) : pods.length;
  const nodes = await listNodesIfAllowed(api);
  const perNode = new Map<string, number>();
  for (const pod of pods) if (pod.spec?.nodeName) perNode.set(pod.spec.nodeName, (perNode.get(pod.spec.nodeName) ?? 0) + 1);
  return {
    instances: pods.map(toInstance),
    hosts: nodes.map((node) => toHost(node, perNode.get(nodeName(node)) ?? 0)),
    desired,
  };
}

/**
 * The cluster's nodes; none when this identity may not list them (403): rebound running inside
 * the cluster with a namespace Role (manifests/rebound-job.yaml) needs nodes only for node faults.
 */
async function listNodesIfAllowed(api: KubeApi): Promise<V1Node[]> {
  return kubeCall('listing nodes', api.server, async () => {
    try {
      return (await api.core.listNode()).items;
    } catch (error) {
      if (statusOf(error) === 403) return [];
      throw error;
    }
  });
}

async function requireNamespace(api: KubeApi, namespace: string): Promise<void> {
  await kubeCall(`reading namespace ${namespace}`, api.server, async () => {
    try {
      await api.core.readNamespace({ name: namespace });
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
      throw new UsageError(`namespace ${namespace} does not exist in kube context ${api.context}`, {
        hint: 'check kubernetes.namespace in the experiment (kubectl get namespaces)',
      });
    }
  });
}
