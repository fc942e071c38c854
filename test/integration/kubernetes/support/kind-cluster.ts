import { AppsV1Api, CoreV1Api, KubeConfig, PolicyV1Api } from '@kubernetes/client-node';
import { enginesRequired } from '../../support/engines.js';

// The kind cluster the integration tests run on comes from one place:
// eval "$(bash scripts/kind-cluster.sh env)" exports REBOUND_KUBECONFIG and REBOUND_KUBE_CONTEXT.
export const kubeconfigPath = process.env.REBOUND_KUBECONFIG;
export const kubeContext = process.env.REBOUND_KUBE_CONTEXT;
const configured = Boolean(kubeconfigPath && kubeContext);
// In CI nothing that needs the cluster may be skipped: without the variables the tests fail.
const required = enginesRequired || Boolean(process.env.CI);

/** Whether the suite runs; when the cluster is required but not configured, it runs and fails. */
export function kindClusterWanted(suite: string): boolean {
  if (!configured && !required) {
    console.warn(`skipping ${suite}: REBOUND_KUBECONFIG/REBOUND_KUBE_CONTEXT are not set; run \`bash scripts/kind-cluster.sh up\` and \`eval "$(bash scripts/kind-cluster.sh env)"\``);
  }
  return configured || required;
}

export interface KubeClients {
  config: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  policy: PolicyV1Api;
}

/** API clients for the test's own setup and checks (rebound's target builds its own). */
export function kubeClients(): KubeClients {
  if (!configured) {
    throw new Error('REBOUND_KUBECONFIG and REBOUND_KUBE_CONTEXT are not set, and CI needs the kind cluster: run `bash scripts/kind-cluster.sh up`, then `eval "$(bash scripts/kind-cluster.sh env)"`');
  }
  const config = new KubeConfig();
  config.loadFromFile(kubeconfigPath as string);
  config.setCurrentContext(kubeContext as string);
  return { config, core: config.makeApiClient(CoreV1Api), apps: config.makeApiClient(AppsV1Api), policy: config.makeApiClient(PolicyV1Api) };
}

/** Polls `check` every 250 ms until it returns a value; the timeout error names what was awaited. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let lastError: unknown;
  while (performance.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`, { cause: lastError });
}
