import type Docker from 'dockerode';
import type { Discovery, FaultHandle, PlannedFault, RollbackOutcome } from '../../target.js';

// Docker has no replica controller: scaling up starts clones of the oldest matching container
// (same image, labels, env, restart policy; no published host port, which would clash), scaling
// down removes the newest. The rollback removes the clones or re-creates the removed ones.
export async function scaleContainers(docker: Docker, fault: PlannedFault, discovery: Discovery): Promise<FaultHandle> {
  const wanted = Number(fault.params.replicas);
  const byAge = [...discovery.instances].sort((a, b) => a.createdAt - b.createdAt);
  const template = byAge[0] ? await docker.getContainer(byAge[0].id).inspect() : undefined;
  const clones: string[] = [];
  const removed: Docker.ContainerInspectInfo[] = [];
  if (wanted > byAge.length) {
    if (!template) throw new Error('scale: no container to clone');
    for (let index = byAge.length; index < wanted; index++) {
      const name = `${template.Name.replace(/^\//, '')}-scale-${index}`;
      const { PortBindings: _ports, ...hostConfig } = template.HostConfig;
      const created = await docker.createContainer({ ...template.Config, name, HostConfig: hostConfig } as Docker.ContainerCreateOptions);
      await created.start();
      clones.push(name);
    }
  } else {
    for (const instance of byAge.slice(wanted).reverse()) {
      const container = docker.getContainer(instance.id);
      removed.push(await container.inspect());
      await container.remove({ force: true });
    }
  }
  let done: Promise<RollbackOutcome> | undefined;
  return {
    note: `scaled from ${byAge.length} to ${wanted} containers by hand: a plain Docker host has no replica controller${clones.length > 0 ? ' (clones publish no host port)' : ''}`,
    undo: { target: 'docker', action: 'scale', subjects: clones, params: { removeClones: clones } },
    rollback: () =>
      (done ??= (async () => {
        for (const name of clones) await docker.getContainer(name).remove({ force: true }).catch(() => undefined);
        for (const info of removed) {
          const created = await docker.createContainer({ ...info.Config, name: info.Name.replace(/^\//, ''), HostConfig: info.HostConfig } as Docker.ContainerCreateOptions);
          await created.start();
        }
        return { ok: true, action: `restored ${byAge.length} containers` };
      })().catch((error: Error) => ({ ok: false, action: 'restore the container count', error: error.message }))),
  };
}
