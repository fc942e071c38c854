import { EnvironmentError, errorMessage } from '../../../common/errors.js';
import type { DeployedSystem, DeploymentSpec, RollbackOutcome } from '../../target.js';
import { teardownHint } from '../../teardown-hint.js';
import { LOOPBACK_NODE_PORTS } from '../kind/kind-config.js';
import type { KubeApi } from '../kube-api.js';
import { apiMessage, explainKubeError, kubeCall, statusOf } from '../kube-errors.js';
import { checkDeploymentSpec } from './check-deployment-spec.js';
import { ensureNamespace } from './ensure-namespace.js';
import { removeWorkload } from './remove-workload.js';
import { createAutoscaler, restoreAutoscaledWorkload } from './restore-autoscaled-workload.js';
import { restoreWorkload } from './restore-workload.js';
import { teardownWorkload } from './teardown-workload.js';
import { waitForWorkload, type WorkloadReadiness } from './wait-for-workload.js';
import { workloadDescription } from './workload-description.js';
import { type WorkloadManifests, workloadManifests } from './workload-manifests.js';

/**
 * Deploys the spec in `namespace` (created when missing): a Deployment, a Service (NodePort when
 * one is given), a PodDisruptionBudget (when minAvailable is given) and a HorizontalPodAutoscaler
 * (when autoscale is given), after removing what a run
 * killed with -9 left of a deploy of the same name. Resolves once every replica is ready and the
 * NodePort answers; on any failure removes what it created, then throws.
 */
export async function deployWorkload(api: KubeApi, spec: DeploymentSpec, namespace: string, options: { timeoutMs: number; signal?: AbortSignal }): Promise<DeployedSystem> {
  checkDeploymentSpec(spec, namespace);
  const deadline = performance.now() + options.timeoutMs;
  const ref = { name: spec.name, namespace };
  const manifests = workloadManifests(spec, namespace);
  // Leftovers go first and are waited out: their Service holds the NodePort until it is deleted.
  const leftovers = await removeWorkload(api, ref, { deleteNamespace: false });
  if (leftovers.foreign.length > 0) {
    throw new EnvironmentError(`cannot deploy ${spec.name}: namespace ${namespace} already has ${leftovers.foreign.join(', ')}, not created by rebound (no label rebound.dev/deploy=${spec.name})`, {
      hint: `rebound does not replace what it did not create: delete them (kubectl -n ${namespace} delete …) or give the experiment another metadata.name`,
    });
  }
  const ownNamespace = await ensureNamespace(api, manifests.namespace, spec.name, { deadline, ...(options.signal && { signal: options.signal }) });
  const teardown = () => teardownWorkload(api, ref, { deleteNamespace: ownNamespace });
  const readiness: WorkloadReadiness = {
    ...ref,
    replicas: spec.replicas,
    image: spec.image,
    port: spec.port,
    healthPath: spec.healthPath,
    ...(spec.nodePort !== undefined && { url: `http://127.0.0.1:${spec.nodePort}${spec.healthPath}` }),
    spread: spec.spread !== false,
  };
  try {
    await createWorkload(api, manifests, spec);
    await waitForWorkload(api, readiness, { timeoutMs: options.timeoutMs, deadline, what: 'deploy', ...(options.signal && { signal: options.signal }) });
  } catch (error) {
    const undone = await teardown();
    throw undone.ok ? error : cleanupFailed(error, undone, spec);
  }
  return {
    description: workloadDescription(spec, namespace),
    restore: (restoreOptions) =>
      manifests.horizontalPodAutoscaler === undefined
        ? restoreWorkload(api, readiness, restoreOptions)
        : restoreAutoscaledWorkload(api, readiness, manifests.horizontalPodAutoscaler, restoreOptions),
    teardown,
  };
}

async function createWorkload(api: KubeApi, manifests: WorkloadManifests, spec: DeploymentSpec): Promise<void> {
  const namespace = manifests.namespace.metadata?.name ?? '';
  await kubeCall(`creating Deployment ${spec.name} in namespace ${namespace}`, api.server, () => api.apps.createNamespacedDeployment({ namespace, body: manifests.deployment }));
  try {
    await api.core.createNamespacedService({ namespace, body: manifests.service });
  } catch (error) {
    throw await serviceRefused(api, error, spec, namespace);
  }
  const budget = manifests.podDisruptionBudget;
  if (budget) await kubeCall(`creating PodDisruptionBudget ${spec.name} in namespace ${namespace}`, api.server, () => api.policy.createNamespacedPodDisruptionBudget({ namespace, body: budget }));
  if (manifests.horizontalPodAutoscaler) await createAutoscaler(api, manifests.horizontalPodAutoscaler);
}

/** 422 "provided port is already allocated": say which Service holds the NodePort. */
async function serviceRefused(api: KubeApi, error: unknown, spec: DeploymentSpec, namespace: string): Promise<Error> {
  if (statusOf(error) !== 422 || spec.nodePort === undefined || !/already allocated/.test(apiMessage(error))) {
    return explainKubeError(error, `creating Service ${spec.name} in namespace ${namespace}`, api.server);
  }
  const services = await api.core.listServiceForAllNamespaces().catch(() => undefined);
  const holder = services?.items.find((service) => service.spec?.ports?.some((port) => port.nodePort === spec.nodePort));
  const who = holder ? `Service ${holder.metadata?.name} in namespace ${holder.metadata?.namespace}` : 'another Service';
  return new EnvironmentError(`NodePort ${spec.nodePort} is taken by ${who}`, {
    hint: `delete it, or pick another deploy.kubernetes.nodePort (rebound's kind clusters publish ${LOOPBACK_NODE_PORTS[0]}-${LOOPBACK_NODE_PORTS.at(-1)} on 127.0.0.1)`,
    cause: error,
  });
}

/** The deploy failed and so did removing what it created: say both, and how to remove the rest. */
function cleanupFailed(error: unknown, undone: RollbackOutcome, spec: DeploymentSpec): EnvironmentError {
  return new EnvironmentError(`${errorMessage(error)}; removing what the deploy created failed too: ${undone.error ?? undone.action}`, {
    hint: `remove what is left with ${teardownHint(spec)} (it removes only what carries rebound.dev/deploy=${spec.name})`,
    cause: error,
  });
}
