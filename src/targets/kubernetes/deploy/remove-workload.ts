import type { V1ObjectMeta } from '@kubernetes/client-node';
import { pollUntil } from '../../../common/poll-until.js';
import { formatDuration } from '../../../common/duration.js';
import { EnvironmentError } from '../../../common/errors.js';
import type { KubeApi } from '../kube-api.js';
import { kubeCall, statusOf } from '../kube-errors.js';
import { DEPLOY_LABEL } from '../../../common/labels.js';

const DEFAULT_TIMEOUT_MS = 60_000;
const POLL_MS = 500;

/** Where a deployment lives: everything of it is named `name` in `namespace`. */
export interface WorkloadRef {
  name: string;
  namespace: string;
}

export interface WorkloadRemoval {
  /** What was deleted, e.g. "Service web". */
  removed: string[];
  /** Objects of that name that rebound did not create (no rebound.dev/deploy=<name>): left alone. */
  foreign: string[];
}

interface NamedObject {
  what: string;
  /** The object's metadata, or undefined when it does not exist. */
  read(): Promise<V1ObjectMeta | undefined>;
  remove(): Promise<unknown>;
}

/**
 * Deletes what a deploy of `name` created in the namespace and waits (bounded) until it is gone:
 * the HorizontalPodAutoscaler first, then the Service (it holds the NodePort until it is deleted), then the PDB, then the Deployment
 * with foreground propagation (it disappears only after its ReplicaSets and pods), and the
 * namespace when asked and it carries the deploy label. Only objects labelled rebound.dev/deploy=<name>
 * are touched. Throws EnvironmentError when something is still there at the deadline. The namespace
 * is not waited for: once the workload is gone nothing runs in it, and the namespace controller
 * takes 5–10 s more to finish it (a deploy into a namespace still terminating waits for it).
 */
export async function removeWorkload(api: KubeApi, ref: WorkloadRef, options: { deleteNamespace: boolean; timeoutMs?: number }): Promise<WorkloadRemoval> {
  const deadline = performance.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const result: WorkloadRemoval = { removed: [], foreign: [] };
  const namespace = namespaceObject(api, ref);
  const namespaceMeta = await namespace.read();
  if (namespaceMeta === undefined) return result;
  const deleting: NamedObject[] = [];
  for (const object of workloadObjects(api, ref)) {
    const meta = await object.read();
    if (meta === undefined) continue;
    if (meta.labels?.[DEPLOY_LABEL] !== ref.name) {
      result.foreign.push(object.what);
      continue;
    }
    if (!meta.deletionTimestamp) await remove(api, object);
    deleting.push(object);
    result.removed.push(object.what);
  }
  const waitFor = { ref, deadline, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS };
  await waitUntilGone(api, deleting, waitFor);
  if (options.deleteNamespace && namespaceMeta.labels?.[DEPLOY_LABEL] === ref.name) {
    // Already terminating: an earlier teardown asked, there is nothing more to remove.
    if (!namespaceMeta.deletionTimestamp) {
      await remove(api, namespace);
      result.removed.push(namespace.what);
    }
  }
  return result;
}

/**
 * What a deploy of `name` left in the namespace, touching nothing: the objects carrying its label
 * (HPA, Service, PDB, Deployment, even while being deleted) and the namespace when it is the deploy's
 * own and not already terminating — exactly what removeWorkload would delete.
 */
export async function findWorkload(api: KubeApi, ref: WorkloadRef): Promise<string[]> {
  const namespace = namespaceObject(api, ref);
  const namespaceMeta = await namespace.read();
  if (namespaceMeta === undefined) return [];
  const found: string[] = [];
  for (const object of workloadObjects(api, ref)) {
    if ((await object.read())?.labels?.[DEPLOY_LABEL] === ref.name) found.push(object.what);
  }
  if (namespaceMeta.labels?.[DEPLOY_LABEL] === ref.name && !namespaceMeta.deletionTimestamp) found.push(namespace.what);
  return found;
}

/** Polls until every object reads 404, and (after a Deployment) no pod of the workload is left. */
async function waitUntilGone(api: KubeApi, objects: NamedObject[], { ref, deadline, timeoutMs }: { ref: WorkloadRef; deadline: number; timeoutMs: number }): Promise<void> {
  const countPods = objects.some((object) => object.what.startsWith('Deployment'));
  const gone = await pollUntil({
    check: async () => {
      const left: string[] = [];
      for (const object of objects) if ((await object.read()) !== undefined) left.push(object.what);
      if (countPods) left.push(...(await podsLeft(api, ref)));
      return left;
    },
    done: (left) => left.length === 0,
    timeoutMs: Math.max(0, deadline - performance.now()),
    intervalMs: POLL_MS,
  });
  if (gone.status === 'done') return;
  throw new EnvironmentError(`removing ${ref.name} from namespace ${ref.namespace}: still there after ${formatDuration(timeoutMs)}: ${(gone.last ?? []).join(', ')}`, {
    hint: `a pod on a stopped or paused node stays terminating until the node is back (kubectl get nodes); then run rebound teardown <experiment file> again`,
  });
}

function workloadObjects(api: KubeApi, { name, namespace }: WorkloadRef): NamedObject[] {
  return [
    // First: an autoscaler left running would scale the Deployment while it is being deleted.
    {
      what: `HorizontalPodAutoscaler ${name}`,
      read: () => metadataOf(`reading HorizontalPodAutoscaler ${name}`, api, () => api.autoscaling.readNamespacedHorizontalPodAutoscaler({ name, namespace })),
      remove: () => api.autoscaling.deleteNamespacedHorizontalPodAutoscaler({ name, namespace }),
    },
    {
      what: `Service ${name}`,
      read: () => metadataOf(`reading Service ${name}`, api, () => api.core.readNamespacedService({ name, namespace })),
      remove: () => api.core.deleteNamespacedService({ name, namespace }),
    },
    {
      what: `PodDisruptionBudget ${name}`,
      read: () => metadataOf(`reading PodDisruptionBudget ${name}`, api, () => api.policy.readNamespacedPodDisruptionBudget({ name, namespace })),
      remove: () => api.policy.deleteNamespacedPodDisruptionBudget({ name, namespace }),
    },
    {
      what: `Deployment ${name}`,
      read: () => metadataOf(`reading Deployment ${name}`, api, () => api.apps.readNamespacedDeployment({ name, namespace })),
      // Foreground: the Deployment stays (with a deletionTimestamp) until its pods are gone, so
      // "Deployment gone" means "pods gone"; the garbage collector deletes the ReplicaSets in
      // foreground too (they block their owner's deletion).
      remove: () => api.apps.deleteNamespacedDeployment({ name, namespace, propagationPolicy: 'Foreground' }),
    },
  ];
}

function namespaceObject(api: KubeApi, { namespace }: WorkloadRef): NamedObject {
  return {
    what: `namespace ${namespace}`,
    read: () => metadataOf(`reading namespace ${namespace}`, api, () => api.core.readNamespace({ name: namespace })),
    remove: () => api.core.deleteNamespace({ name: namespace }),
  };
}

async function metadataOf(what: string, api: KubeApi, read: () => Promise<{ metadata?: V1ObjectMeta }>): Promise<V1ObjectMeta | undefined> {
  return kubeCall(what, api.server, async () => {
    try {
      return (await read()).metadata ?? {};
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  });
}

async function podsLeft(api: KubeApi, ref: WorkloadRef): Promise<string[]> {
  const pods = await kubeCall(`listing the pods of ${ref.name} in namespace ${ref.namespace}`, api.server, () =>
    api.core.listNamespacedPod({ namespace: ref.namespace, labelSelector: `${DEPLOY_LABEL}=${ref.name}` }),
  );
  const names = pods.items.map((pod) => pod.metadata?.name ?? '?');
  return names.length === 0 ? [] : [`${names.length} pod${names.length === 1 ? '' : 's'} (${names.join(', ')})`];
}

/** Deleting what is already gone (404) is what we wanted. */
async function remove(api: KubeApi, object: NamedObject): Promise<void> {
  await kubeCall(`deleting ${object.what}`, api.server, async () => {
    try {
      await object.remove();
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  });
}
