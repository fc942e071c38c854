import type Docker from 'dockerode';
import type { FaultHandle, PlannedFault, RollbackOutcome } from '../../target.js';

/** Force-removes containers; the rollback re-creates each from its recorded configuration and starts it. */
export async function removeContainers(docker: Docker, fault: PlannedFault): Promise<FaultHandle> {
  const recorded: Docker.ContainerInspectInfo[] = [];
  for (const name of fault.subjects) {
    const container = docker.getContainer(name);
    recorded.push(await container.inspect());
    await container.remove({ force: true });
  }
  let done: Promise<RollbackOutcome> | undefined;
  return {
    note: 'docker rm -f: nothing brings a removed container back on a plain Docker host',
    undo: { target: 'docker', action: 'recreate', subjects: fault.subjects },
    rollback: () => (done ??= recreate(docker, recorded)),
  };
}

async function recreate(docker: Docker, recorded: Docker.ContainerInspectInfo[]): Promise<RollbackOutcome> {
  const names = recorded.map((info) => info.Name.replace(/^\//, ''));
  try {
    for (const info of recorded) {
      const name = info.Name.replace(/^\//, '');
      const exists = await docker.getContainer(name).inspect().then(() => true, () => false);
      if (exists) continue;
      const networks = Object.keys(info.NetworkSettings.Networks ?? {});
      const created = await docker.createContainer({
        ...info.Config,
        name,
        HostConfig: info.HostConfig,
        ...(networks.length > 0 && { NetworkingConfig: { EndpointsConfig: { [networks[0]!]: {} } } }),
      } as Docker.ContainerCreateOptions);
      await created.start();
    }
    return { ok: true, action: `re-created ${names.join(', ')} from their recorded configuration` };
  } catch (error) {
    return { ok: false, action: `re-create ${names.join(', ')}`, error: (error as Error).message };
  }
}
