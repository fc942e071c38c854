import type { TargetOptions } from '../target-options.js';
import type { Target } from '../target.js';
import { connectKubeApi } from './kube-api.js';
import { KubernetesTarget } from './kubernetes-target.js';

export { KubernetesTarget } from './kubernetes-target.js';
export { FACT_KEYS } from './cluster-facts.js';

/**
 * Builds the Kubernetes target: loads the kubeconfig and checks the context (no network yet;
 * `check()` asks the API server). Refuses a context other than the one named (exit 3).
 */
export async function createKubernetesTarget(options: TargetOptions): Promise<Target> {
  const api = connectKubeApi({
    ...(options.kubeconfig !== undefined && { kubeconfig: options.kubeconfig }),
    ...(options.context !== undefined && { context: options.context }),
    ...(options.experimentContext !== undefined && { experimentContext: options.experimentContext }),
  });
  return new KubernetesTarget(api, options.allowSystemNamespaces ?? false, {
    route: options.instanceFaults ?? 'auto',
    ...(options.helperImage !== undefined && { helperImage: options.helperImage }),
  });
}
