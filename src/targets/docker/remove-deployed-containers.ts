import type Docker from 'dockerode';
import { DEPLOY_LABEL } from '../../common/labels.js';
import type { DeploymentSearch, RollbackOutcome } from '../target.js';
import { engineMessage, engineStatus } from './docker-client.js';

/** A container carrying rebound.dev/deploy=<name>: a replica, a scale clone, or a leftover. */
export interface DeployedContainer {
  id: string;
  name: string;
}

/** Every container (any state) that a deploy of `deployName` created, by its label, in name order (web-0, web-1 …, web-10). */
export async function deployedContainers(docker: Docker, deployName: string): Promise<DeployedContainer[]> {
  const listed = await docker.listContainers({ all: true, filters: { label: [`${DEPLOY_LABEL}=${deployName}`] } });
  // The engine lists newest first: sorted, messages do not depend on creation order.
  return listed
    .map((container) => ({ id: container.Id, name: (container.Names[0] ?? container.Id).replace(/^\//, '') }))
    .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
}

/** rebound teardown's question: which containers of the deploy are there (by name). */
export async function findDeployedContainers(docker: Docker, deployName: string): Promise<DeploymentSearch> {
  const containers = await deployedContainers(docker, deployName);
  return { found: containers.map((container) => container.name), lookedFor: `container labelled ${DEPLOY_LABEL}=${deployName}` };
}

/**
 * Force-removes every container of a deploy (teardown, removeDeployment, leftovers before a
 * deploy). Idempotent, never throws: what could not be removed is in the outcome.
 */
export async function removeDeployedContainers(docker: Docker, deployName: string): Promise<RollbackOutcome> {
  let containers: DeployedContainer[];
  try {
    containers = await deployedContainers(docker, deployName);
  } catch (error) {
    return { ok: false, action: `list the containers labelled ${DEPLOY_LABEL}=${deployName}`, error: engineMessage(error) };
  }
  if (containers.length === 0) return { ok: true, action: `nothing to remove (no container labelled ${DEPLOY_LABEL}=${deployName})` };
  const results = await Promise.allSettled(containers.map((container) => removeContainer(docker, container)));
  const errors = results.flatMap((result, index) => (result.status === 'rejected' ? [`${containers[index]!.name}: ${engineMessage(result.reason)}`] : []));
  const removed = containers.filter((_, index) => results[index]!.status === 'fulfilled').map((container) => container.name);
  const action = removed.length > 0 ? `removed ${removed.join(', ')}` : `remove ${containers.map((container) => container.name).join(', ')}`;
  return errors.length > 0 ? { ok: false, action, error: errors.join('; ') } : { ok: true, action };
}

export async function removeContainer(docker: Docker, container: DeployedContainer): Promise<void> {
  try {
    await docker.getContainer(container.id).remove({ force: true });
  } catch (error) {
    // 404: already gone. 409 "removal already in progress": another teardown got there first.
    const status = engineStatus(error);
    if (status !== 404 && !(status === 409 && /already in progress/i.test(engineMessage(error)))) throw error;
  }
}
