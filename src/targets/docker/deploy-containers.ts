import type Docker from 'dockerode';
import { EnvironmentError, errorMessage } from '../../common/errors.js';
import { noAutoscalerSentence, resourcesInWords } from '../resources-in-words.js';
import { teardownHint } from '../teardown-hint.js';
import type { DeployedSystem, DeploymentSpec, RollbackOutcome } from '../target.js';
import { createReplica, replicaNames } from './create-replica.js';
import { removeDeployedContainers } from './remove-deployed-containers.js';
import { restoreReplicas } from './restore-replicas.js';
import { waitForReplicas } from './wait-for-replicas.js';

/**
 * Docker has no replica controller, so a deploy is `spec.replicas` containers <name>-0 … <name>-(n-1)
 * with the same configuration, all labelled rebound.dev/deploy=<name> so that teardown (and a
 * later deploy after a run killed with -9) finds every one. Waits until all are ready; on any
 * failure removes what it created before throwing.
 */
export async function deployContainers(docker: Docker, spec: DeploymentSpec, options: { timeoutMs: number; signal?: AbortSignal }): Promise<DeployedSystem> {
  const leftovers = await removeDeployedContainers(docker, spec.name);
  if (!leftovers.ok) {
    throw new EnvironmentError(`cannot deploy ${spec.name}: the containers of an earlier deploy are still there (${leftovers.action}: ${leftovers.error})`, {
      hint: `fix what the engine says, then remove them with ${teardownHint(spec)} and run again`,
    });
  }
  try {
    // One after the other: replica 0 is then the oldest, so `pick: oldest` hits the replica that
    // the published port of replica 0 (where the probe goes) reaches.
    for (let index = 0; index < spec.replicas; index++) await createReplica(docker, spec, index);
    await waitForReplicas(docker, replicaNames(spec), options, `deploying ${spec.name}`);
  } catch (error) {
    throw withCleanup(error, await removeDeployedContainers(docker, spec.name), spec);
  }
  return {
    description: describeDeployment(spec),
    restore: (restoreOptions) => restoreReplicas(docker, spec, restoreOptions),
    teardown: () => removeDeployedContainers(docker, spec.name),
  };
}

/**
 * "3 containers web-0..2 of rebound/demo-app:v1, restart always, 127.0.0.1:18090-18092", then the
 * limits and, when the experiment asks for autoscaling, that nothing here autoscales.
 */
export function describeDeployment(spec: DeploymentSpec): string {
  const last = spec.replicas - 1;
  const containers = spec.replicas === 1 ? `1 container ${spec.name}-0` : `${spec.replicas} containers ${spec.name}-0..${last}`;
  const ports = spec.hostPort === undefined ? 'no published port' : last === 0 ? `127.0.0.1:${spec.hostPort}` : `127.0.0.1:${spec.hostPort}-${spec.hostPort + last}`;
  const limits = resourcesInWords(spec.resources);
  const autoscale = spec.autoscale === undefined ? '' : `; ${noAutoscalerSentence(spec.replicas)}`;
  return `${containers} of ${spec.image}, restart ${spec.restartPolicy}, ${ports}${limits === undefined ? '' : `, ${limits} each (--cpus/--memory)`}${autoscale}`;
}

/** The deploy's error, saying so when its containers could not all be removed afterwards. */
function withCleanup(error: unknown, cleanup: RollbackOutcome, spec: DeploymentSpec): unknown {
  if (cleanup.ok) return error;
  return new EnvironmentError(`${errorMessage(error)}\n  and removing what the deploy created failed: ${cleanup.action}: ${cleanup.error}`, {
    hint: `remove what is left with ${teardownHint(spec)}`,
    cause: error,
  });
}
