// The labels rebound reads and writes. Everything rebound deploys carries DEPLOY_LABEL; blast radius:
// by default only instances carrying the opt-in label are eligible for faults, so an experiment
// whose selector is too wide touches nothing it was not invited to.
export const OPT_IN_LABEL = 'rebound.dev/chaos';
export const OPT_IN_VALUE = 'enabled';

/** The label every instance rebound deploys carries (value: the experiment's name). */
export const DEPLOY_LABEL = 'rebound.dev/deploy';

export function isOptedIn(labels: Record<string, string>): boolean {
  return labels[OPT_IN_LABEL] === OPT_IN_VALUE;
}

/** Kubernetes namespaces rebound refuses unless `kubernetes.allowSystemNamespaces` is set. */
export const PROTECTED_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage'];

/** On a cluster load's Job and pods (value: the experiment's name): `rebound teardown` finds leftovers by it. */
export const LOAD_LABEL = 'rebound.dev/load';
/** On a cluster load's Job and pods (value: the run's journal id): `rebound recover` removes a dead run's. */
export const RUN_LABEL = 'rebound.dev/run';
