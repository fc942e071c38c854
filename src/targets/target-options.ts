import type { InstanceFaultRoute } from '../common/instance-fault-route.js';

export interface TargetOptions {
  /** Kubernetes: kubeconfig file (default chain: KUBECONFIG, ~/.kube/config, in-cluster). */
  kubeconfig?: string;
  /** Kubernetes: the context rebound may use; any other is refused. */
  context?: string;
  /** Kubernetes: allow system namespaces. */
  allowSystemNamespaces?: boolean;
  /** Kubernetes: the context the experiment names (`kubernetes.context`); a different one in use is refused. */
  experimentContext?: string;
  /** Kubernetes: how crash reaches a pod's process (default auto: node access, else an ephemeral container). */
  instanceFaults?: InstanceFaultRoute;
  /** Kubernetes: the ephemeral helper's image (default rebound/fault-tools, never pulled). */
  helperImage?: string;
}
