import type { Target, TargetKind } from './target.js';

export interface TargetOptions {
  /** Kubernetes: kubeconfig file (default chain: KUBECONFIG, ~/.kube/config, in-cluster). */
  kubeconfig?: string;
  /** Kubernetes: the context rebound may use; any other is refused. */
  context?: string;
  /** Kubernetes: allow system namespaces. */
  allowSystemNamespaces?: boolean;
  /** Kubernetes: the context the experiment names (`kubernetes.context`); a different one in use is refused. */
  experimentContext?: string;
}

// The one factory for targets. Engine clients are imported lazily so `rebound --help` and
// `rebound validate` never load dockerode or client-node.
export async function createTarget(kind: TargetKind, options: TargetOptions = {}): Promise<Target> {
  if (kind === 'docker') {
    const { createDockerTarget } = await import('./docker/index.js');
    return createDockerTarget({});
  }
  const { createKubernetesTarget } = await import('./kubernetes/index.js');
  return createKubernetesTarget(options);
}
