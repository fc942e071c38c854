import type Docker from 'dockerode';
import { HELPER_LABEL, HELPER_TARGET_LABEL, reboundLeftovers } from '../fault-tools/index.js';
import { engineStatus } from './docker-client.js';
import { inspectContainerNetns } from './helper-command.js';

export interface HelperContainerSummary {
  containerId: string;
  name: string;
  helperId: string;
  /** The container id the helper works on. */
  target: string;
  state: string;
}

/** Every helper container on the engine (running or not), found by rebound's helper label. */
export async function listHelperContainers(docker: Docker, labels: Record<string, string> = {}): Promise<HelperContainerSummary[]> {
  const filters = [HELPER_LABEL, ...Object.entries(labels).map(([key, value]) => `${key}=${value}`)];
  const containers = await docker.listContainers({ all: true, filters: { label: filters } });
  return containers.map((container) => ({
    containerId: container.Id,
    name: (container.Names[0] ?? container.Id).replace(/^\//, ''),
    helperId: container.Labels[HELPER_LABEL] ?? '',
    target: container.Labels[HELPER_TARGET_LABEL] ?? '',
    state: container.State,
  }));
}

export interface DockerLeftovers {
  helpers: HelperContainerSummary[];
  /** Per target container (name or id as given): what of rebound's is still in its network namespace. */
  namespaces: { target: string; leftovers: string[] }[];
}

/**
 * What rebound left behind, for the reliability figures and `recover`: helper containers still
 * there, and rebound's chains, qdiscs and ifb devices in the network namespaces of the given
 * containers (each looked at by a short-lived read-only helper; containers that no longer run have
 * no namespace left to hold anything).
 */
export async function dockerLeftovers(docker: Docker, targets: readonly string[], labels: Record<string, string> = {}): Promise<DockerLeftovers> {
  // The look itself is a helper container: list first, so it is not counted.
  const helpers = await listHelperContainers(docker, labels);
  const namespaces: DockerLeftovers['namespaces'] = [];
  for (const target of targets) {
    let running: boolean;
    try {
      running = (await docker.getContainer(target).inspect()).State.Running;
    } catch (error) {
      if (engineStatus(error) === 404) continue;
      throw error;
    }
    if (running) namespaces.push({ target, leftovers: reboundLeftovers(await inspectContainerNetns(docker, target)) });
  }
  return { helpers, namespaces };
}
