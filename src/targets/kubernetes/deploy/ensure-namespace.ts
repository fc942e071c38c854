import type { V1Namespace } from '@kubernetes/client-node';
import { pollUntil } from '../../../common/poll-until.js';
import { EnvironmentError } from '../../../common/errors.js';
import type { KubeApi } from '../kube-api.js';
import { kubeCall, statusOf } from '../kube-errors.js';
import { DEPLOY_LABEL } from '../../../common/labels.js';

const POLL_MS = 500;

/**
 * Makes sure the namespace exists, and says whether it is the deployment's own: created now, or
 * left by an earlier deploy of the same name (it carries rebound.dev/deploy=<name>). Teardown
 * deletes only such a namespace. One still terminating (an earlier teardown) is waited out: the
 * API refuses to create anything in it (403 "is being terminated").
 */
export async function ensureNamespace(api: KubeApi, manifest: V1Namespace, owner: string, options: { deadline: number; signal?: AbortSignal }): Promise<boolean> {
  const name = manifest.metadata?.name ?? '';
  const usable = await pollUntil({
    check: async (): Promise<{ ours: boolean } | 'terminating' | 'raced'> => {
      const existing = await readNamespace(api, name);
      if (existing === undefined) return (await createNamespace(api, manifest)) ? { ours: true } : 'raced'; // 409: someone created it meanwhile; read what they made
      if (existing.metadata?.deletionTimestamp) return 'terminating';
      return { ours: existing.metadata?.labels?.[DEPLOY_LABEL] === owner };
    },
    done: (state) => typeof state === 'object',
    timeoutMs: Math.max(0, options.deadline - performance.now()),
    intervalMs: (attempt) => (attempt === 1 ? 0 : POLL_MS),
    ...(options.signal && { signal: options.signal }),
  });
  if (usable.status === 'done' && typeof usable.value === 'object') return usable.value.ours;
  throw new EnvironmentError(`namespace ${name} is still being deleted (an earlier teardown), so nothing can be created in it`, {
    hint: `wait until kubectl get namespace ${name} says NotFound, then run again`,
  });
}

async function readNamespace(api: KubeApi, name: string): Promise<V1Namespace | undefined> {
  return kubeCall(`reading namespace ${name}`, api.server, async () => {
    try {
      return await api.core.readNamespace({ name });
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  });
}

async function createNamespace(api: KubeApi, manifest: V1Namespace): Promise<boolean> {
  return kubeCall(`creating namespace ${manifest.metadata?.name}`, api.server, async () => {
    try {
      await api.core.createNamespace({ body: manifest });
      return true;
    } catch (error) {
      if (statusOf(error) === 409) return false;
      throw error;
    }
  });
}
