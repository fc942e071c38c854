import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { EnvironmentError } from '../../../common/errors.js';
import { REPLICAS_BEFORE_ANNOTATION } from '../faults/scale-owner.js';
import type { KubeApi } from '../kube-api.js';
import { kubeCall, statusOf } from '../kube-errors.js';
import { replaceRestartedPods } from '../replace-restarted-pods.js';
import { respreadPods } from './respread-pods.js';
import { waitForWorkload, type WorkloadReadiness } from './wait-for-workload.js';
import { DEPLOY_LABEL } from '../../../common/labels.js';

/**
 * Back to the deployed state before the next iteration: the Deployment's replicas reset (a scale
 * fault, or a person, may have changed them; the scale fault's annotation goes too, or `recover`
 * would later scale back to a stale count), then every replica ready and none terminating.
 * Pods whose containers the kubelet restarted are replaced (replaceRestartedPods says why). Spread
 * pods are spread again (respreadPods): a node fault leaves them on the surviving worker.
 */
export async function restoreWorkload(api: KubeApi, workload: WorkloadReadiness, options: { timeoutMs: number; signal?: AbortSignal }): Promise<void> {
  const { name, namespace, replicas } = workload;
  const deployment = await kubeCall(`reading Deployment ${name} in namespace ${namespace}`, api.server, async () => {
    try {
      return await api.apps.readNamespacedDeployment({ name, namespace });
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  });
  if (deployment === undefined) {
    throw new EnvironmentError(`restore: Deployment ${name} in namespace ${namespace} is gone`, { hint: 'something deleted it during the run; run the experiment again (deploy creates it anew)' });
  }
  const annotated = deployment.metadata?.annotations?.[REPLICAS_BEFORE_ANNOTATION] !== undefined;
  if (deployment.spec?.replicas !== replicas || annotated) {
    const body = { metadata: { annotations: { [REPLICAS_BEFORE_ANNOTATION]: null } }, spec: { replicas } };
    await kubeCall(`scaling Deployment ${name} back to ${replicas}`, api.server, () =>
      api.apps.patchNamespacedDeployment({ name, namespace, body }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch)),
    );
  }
  await replaceRestartedPods(api, namespace, `${DEPLOY_LABEL}=${name}`);
  if (workload.spread) await respreadPods(api, workload);
  await waitForWorkload(api, workload, { ...options, what: 'restore' });
}
