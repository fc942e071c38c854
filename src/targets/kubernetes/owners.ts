import type { V1OwnerReference, V1Pod } from '@kubernetes/client-node';
import type { KubeApi } from './kube-api.js';
import { kubeCall, statusOf } from './kube-errors.js';

/** The workload object whose spec says how many pods there should be. */
export interface Owner {
  kind: 'Deployment' | 'StatefulSet' | 'ReplicaSet';
  name: string;
}

export function ownerKey(owner: Owner): string {
  return `${owner.kind}/${owner.name}`;
}

function controllerOf(references: V1OwnerReference[] | undefined): V1OwnerReference | undefined {
  return references?.find((reference) => reference.controller === true);
}

/**
 * The top owner of each pod: pod → ReplicaSet → Deployment, or pod → StatefulSet. Pods of a
 * DaemonSet, a Job or nobody have no owner rebound counts replicas from.
 */
export async function resolveOwners(api: KubeApi, namespace: string, pods: readonly V1Pod[]): Promise<Owner[]> {
  const owners = new Map<string, Owner>();
  const replicaSetOwner = new Map<string, Owner | undefined>();
  for (const pod of pods) {
    const reference = controllerOf(pod.metadata?.ownerReferences);
    if (reference?.kind === 'StatefulSet') owners.set(`StatefulSet/${reference.name}`, { kind: 'StatefulSet', name: reference.name });
    if (reference?.kind !== 'ReplicaSet') continue;
    if (!replicaSetOwner.has(reference.name)) replicaSetOwner.set(reference.name, await replicaSetTop(api, namespace, reference.name));
    const owner = replicaSetOwner.get(reference.name);
    if (owner) owners.set(ownerKey(owner), owner);
  }
  return [...owners.values()];
}

async function replicaSetTop(api: KubeApi, namespace: string, name: string): Promise<Owner | undefined> {
  try {
    const replicaSet = await api.apps.readNamespacedReplicaSet({ name, namespace });
    const reference = controllerOf(replicaSet.metadata?.ownerReferences);
    return reference?.kind === 'Deployment' ? { kind: 'Deployment', name: reference.name } : { kind: 'ReplicaSet', name };
  } catch (error) {
    // Deleted between the pod list and now (a rollout): the pod's owner is going away too.
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

/** The owner's spec.replicas (undefined when the owner is gone). */
export async function readOwnerReplicas(api: KubeApi, namespace: string, owner: Owner): Promise<number | undefined> {
  return kubeCall(`reading ${ownerKey(owner)} in ${namespace}`, api.server, async () => {
    try {
      const object =
        owner.kind === 'Deployment'
          ? await api.apps.readNamespacedDeployment({ name: owner.name, namespace })
          : owner.kind === 'StatefulSet'
            ? await api.apps.readNamespacedStatefulSet({ name: owner.name, namespace })
            : await api.apps.readNamespacedReplicaSet({ name: owner.name, namespace });
      return object.spec?.replicas ?? 1;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  });
}
