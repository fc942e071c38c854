import { PatchStrategy, setHeaderOptions, type V1EphemeralContainer, type V1Pod } from '@kubernetes/client-node';
import { EnvironmentError } from '../../../common/errors.js';
import type { KubeApi } from '../kube-api.js';
import { apiMessage, explainKubeError, statusOf } from '../kube-errors.js';

export interface EphemeralAddition {
  namespace: string;
  pod: string;
  container: V1EphemeralContainer;
  /** Server-side dry run: RBAC, PodSecurity and validation answer, nothing is added. */
  dryRun: boolean;
}

/**
 * Adds one ephemeral container to a pod: a strategic merge patch of `pods/ephemeralcontainers`
 * (what `kubectl debug` sends, so the verb a Role must grant is `patch`; the list merges by name).
 * Once added it cannot be removed: it stays in the pod's spec until the pod is deleted. Hence the
 * dry run first, which runs the same authorization and admission (PodSecurity included) and
 * changes nothing: a refusal is known before the pod is touched.
 */
export async function addEphemeralContainer(api: KubeApi, addition: EphemeralAddition): Promise<V1Pod> {
  const what = `${addition.dryRun ? 'a dry run of adding' : 'adding'} ephemeral container ${addition.container.name} to pod ${addition.pod}`;
  try {
    return await api.core.patchNamespacedPodEphemeralcontainers(
      { name: addition.pod, namespace: addition.namespace, body: { spec: { ephemeralContainers: [addition.container] } }, ...(addition.dryRun && { dryRun: 'All' }) },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
  } catch (error) {
    throw ephemeralRefusal(error, addition.namespace, what, api.server);
  }
}

/** A refused addition in words a person can act on: PodSecurity, RBAC, or an API without the subresource (exit 3). */
export function ephemeralRefusal(error: unknown, namespace: string, what: string, server: string): Error {
  const status = statusOf(error);
  const message = apiMessage(error);
  if (status === 403 && /violates PodSecurity/.test(message)) {
    return new EnvironmentError(`namespace ${namespace}'s PodSecurity admission refuses the crash helper (${what}): ${message}`, {
      hint: 'PodSecurity checks the whole pod on every ephemeral container. "baseline" accepts the helper (root with CAP_KILL only); "restricted" accepts it only when the pod names its runAsUser (the helper then runs as that user with no capability). Or use node access (kubernetes.instanceFaults: node on kind)',
      cause: error,
    });
  }
  if (status === 403) {
    return new EnvironmentError(`the kubeconfig user may not add ephemeral containers in namespace ${namespace} (${what}): ${message}`, {
      hint: `grant it patch on pods/ephemeralcontainers in ${namespace} (a Role rule: apiGroups [""], resources ["pods/ephemeralcontainers"], verbs ["patch"]), or use node access`,
      cause: error,
    });
  }
  if (status === 404 && !/pods? "[^"]+" not found/.test(message)) {
    return new EnvironmentError(`the API server has no pods/ephemeralcontainers (${what}): ${message}`, { hint: 'ephemeral containers are GA from Kubernetes 1.25', cause: error });
  }
  return explainKubeError(error, what, server);
}
