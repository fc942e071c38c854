import type Docker from 'dockerode';
import type { RecordedContainer } from '../../../faults/index.js';
import { engineStatus } from '../docker-client.js';

/** What rebound journals about a container before removing it: enough to create it again. */
export function recordContainer(info: Docker.ContainerInspectInfo): RecordedContainer {
  const name = info.Name.replace(/^\//, '');
  const shortId = info.Id.slice(0, 12);
  const networks = Object.entries(info.NetworkSettings?.Networks ?? {}).map(([network, endpoint]) => {
    // Docker adds the container's short id as an alias on user networks: the new container gets its own.
    const aliases = (endpoint.Aliases ?? []).filter((alias: string) => alias !== shortId && alias !== info.Id);
    return [network, aliases.length > 0 ? { aliases } : {}] as const;
  });
  return {
    name,
    id: info.Id,
    config: info.Config as unknown as Record<string, unknown>,
    hostConfig: info.HostConfig as unknown as Record<string, unknown>,
    networks: Object.fromEntries(networks),
  };
}

/**
 * Creates a recorded container again and starts it: same name, labels, environment, restart
 * policy, published ports and networks. `exists` when a container of that name is already there
 * (re-created earlier, or never removed): nothing is touched then.
 */
export async function recreateContainer(docker: Docker, recorded: RecordedContainer): Promise<'recreated' | 'exists'> {
  const exists = await docker
    .getContainer(recorded.name)
    .inspect()
    .then(
      () => true,
      (error: unknown) => {
        if (engineStatus(error) === 404) return false;
        throw error;
      },
    );
  if (exists) return 'exists';
  await (await createRecorded(docker, recorded, recorded.name)).start();
  return 'recreated';
}

/**
 * Creates (does not start) a container from a recorded configuration under `name`: the recorded
 * one, or a temporary name while the container it replaces still exists (a rollout).
 */
export async function createRecorded(docker: Docker, recorded: RecordedContainer, name: string): Promise<Docker.Container> {
  const [first, ...others] = Object.entries(recorded.networks);
  const endpoint = (settings: { aliases?: string[] }) => (settings.aliases ? { Aliases: settings.aliases } : {});
  const created = await docker.createContainer({
    ...(recorded.config as Docker.ContainerCreateOptions),
    name,
    HostConfig: recorded.hostConfig as Docker.HostConfig,
    ...(first && { NetworkingConfig: { EndpointsConfig: { [first[0]]: endpoint(first[1]) } } }),
  });
  // A container is created on one network; the others are joined before it starts.
  for (const [network, settings] of others) await docker.getNetwork(network).connect({ Container: created.id, EndpointConfig: endpoint(settings) });
  return created;
}
