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
