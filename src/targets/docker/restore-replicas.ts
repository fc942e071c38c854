import type Docker from 'dockerode';
import { EnvironmentError } from '../../common/errors.js';
import type { DeploymentSpec } from '../target.js';
import { teardownHint } from '../teardown-hint.js';
import { createReplica, replicaName, replicaNames } from './create-replica.js';
import { engineMessage } from './docker-client.js';
import { startContainers } from './faults/index.js';
import { deployedContainers, removeContainer } from './remove-deployed-containers.js';
import { waitForReplicas } from './wait-for-replicas.js';

/**
 * Back to what deploy created, whatever the last iteration's faults left: containers carrying the
 * deploy label that are not replicas (scale clones) removed, missing replicas re-created, paused
 * ones unpaused, stopped ones started, and when the engine restarted a replica, every replica
 * re-created in order (Docker doubles its restart delay with each restart, so a twice-crashed
 * container would not start the next iteration from the same state); then waits until every
 * replica is ready.
 */
export async function restoreReplicas(docker: Docker, spec: DeploymentSpec, options: { timeoutMs: number; signal?: AbortSignal }): Promise<void> {
  const names = replicaNames(spec);
  const what = `restoring ${spec.name}`;
  const present = await deployedContainers(docker, spec.name).catch((error: unknown) => {
    throw new EnvironmentError(`${what}: cannot list its containers: ${engineMessage(error)}`, { hint: 'is the Docker engine still running?', cause: error });
  });
  const failures: string[] = [];
  for (const extra of present.filter((container) => !names.includes(container.name))) {
    await removeContainer(docker, extra).catch((error: unknown) => failures.push(`remove ${extra.name}: ${engineMessage(error)}`));
  }
  // A replica the engine restarted is re-created; then the others are too, in replica order, so that
  // the replicas keep the age order deploy gave them: a fault with `pick: oldest` touches replica 0
  // (the one the probe's port reaches) in every iteration, not whichever replica was re-created last.
  const restarted = await Promise.all(present.filter((container) => names.includes(container.name)).map(async (container) => ((await docker.getContainer(container.id).inspect().catch(() => undefined))?.RestartCount ?? 0) > 0));
  const renew = restarted.some(Boolean);
  for (let index = 0; index < spec.replicas; index++) {
    const name = replicaName(spec, index);
    const failure = await restoreReplica(docker, spec, index, present.find((container) => container.name === name), renew);
    if (failure !== undefined) failures.push(failure);
  }
  if (failures.length > 0) {
    throw new EnvironmentError(`${what}: ${failures.join('; ')}`, { hint: `run again: the next deploy starts from nothing (the end of the run removes the containers; if it could not, ${teardownHint(spec)} does)` });
  }
  await waitForReplicas(docker, names, options, what);
}

/** Why replica `index` could not be brought back, or undefined. */
async function restoreReplica(docker: Docker, spec: DeploymentSpec, index: number, present: { id: string; name: string } | undefined, renew: boolean): Promise<string | undefined> {
  const name = replicaName(spec, index);
  if (present !== undefined) {
    const outcome = renew ? { ok: false } : await startContainers(docker, [name]);
    if (outcome.ok) return undefined;
    // Restarted by the engine, dead, or its configuration no longer works: replace it with a fresh one.
    await removeContainer(docker, present).catch(() => undefined);
  }
  try {
    await createReplica(docker, spec, index);
    return undefined;
  } catch (error) {
    return `re-create ${name}: ${(error as Error).message}`;
  }
}
