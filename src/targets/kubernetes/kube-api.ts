import { existsSync } from 'node:fs';
import { AppsV1Api, AutoscalingV2Api, BatchV1Api, CoreV1Api, KubeConfig, PolicyV1Api, VersionApi } from '@kubernetes/client-node';
import { EnvironmentError, errorMessage } from '../../common/errors.js';

/** The API clients of one kube context; the only place rebound holds client-node objects. */
export interface KubeApi {
  config: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  /** PodDisruptionBudgets (deploy). */
  policy: PolicyV1Api;
  /** HorizontalPodAutoscalers (deploy.autoscale, the autoscaler observer). */
  autoscaling: AutoscalingV2Api;
  /** Jobs (the cluster load: load.in: cluster). */
  batch: BatchV1Api;
  version: VersionApi;
  context: string;
  /** The API server URL, for messages. */
  server: string;
  /** Where the kubeconfig came from, for messages. */
  source: string;
}

export interface KubeApiOptions {
  kubeconfig?: string;
  /** The context named on the command line: selected, and the only one accepted. */
  context?: string;
  /** The context the experiment names (`kubernetes.context`): the one in use must be it. */
  experimentContext?: string;
}

/**
 * Loads the kubeconfig (the file given, else the default chain: $KUBECONFIG, ~/.kube/config,
 * in-cluster) and selects the context. Refuses (exit 3) a context that differs from the one named
 * on the command line or in the experiment: a typo must never aim faults at another cluster.
 */
export function connectKubeApi(options: KubeApiOptions): KubeApi {
  const config = new KubeConfig();
  const source = options.kubeconfig ?? process.env.KUBECONFIG ?? '~/.kube/config';
  try {
    if (options.kubeconfig !== undefined) {
      if (!existsSync(options.kubeconfig)) throw new Error(`${options.kubeconfig} does not exist`);
      config.loadFromFile(options.kubeconfig);
    } else {
      config.loadFromDefault();
    }
  } catch (error) {
    throw new EnvironmentError(`cannot load the kubeconfig ${source}: ${errorMessage(error)}`, {
      hint: 'pass --kubeconfig <file>; for the kind cluster: eval "$(bash scripts/kind-cluster.sh env)" and --kubeconfig "$REBOUND_KUBECONFIG"',
      cause: error,
    });
  }
  const context = selectContext(config, source, options);
  const cluster = config.getCurrentCluster();
  if (!cluster) {
    throw new EnvironmentError(`kube context ${context} in ${source} names no cluster`, { hint: 'fix the kubeconfig, or pick another --context' });
  }
  return {
    config,
    core: config.makeApiClient(CoreV1Api),
    apps: config.makeApiClient(AppsV1Api),
    policy: config.makeApiClient(PolicyV1Api),
    autoscaling: config.makeApiClient(AutoscalingV2Api),
    batch: config.makeApiClient(BatchV1Api),
    version: config.makeApiClient(VersionApi),
    context,
    server: cluster.server,
    source,
  };
}

function selectContext(config: KubeConfig, source: string, options: KubeApiOptions): string {
  const known = config.getContexts().map((context) => context.name);
  const list = known.length > 0 ? known.join(', ') : 'none';
  if (options.context !== undefined) {
    if (!known.includes(options.context)) {
      throw new EnvironmentError(`kube context ${options.context} is not in ${source} (contexts: ${list})`, {
        hint: 'name one of its contexts with --context, or pass the right --kubeconfig',
      });
    }
    config.setCurrentContext(options.context);
  }
  const current = config.getCurrentContext();
  if (!current || !known.includes(current)) {
    throw new EnvironmentError(`${source} has no current context (contexts: ${list})`, { hint: 'name the context with --context' });
  }
  if (options.experimentContext !== undefined && options.experimentContext !== current) {
    throw new EnvironmentError(
      `the experiment is for kube context ${options.experimentContext} but the context in use is ${current}: refusing to touch another cluster`,
      { hint: `pass --context ${options.experimentContext}, or change kubernetes.context in the experiment` },
    );
  }
  return current;
}
