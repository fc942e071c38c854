import type Docker from 'dockerode';
import type { RecordedContainer, RollbackOutcome } from '../../../faults/index.js';
import { engineMessage, engineStatus } from '../docker-client.js';
import type { DockerFault } from './docker-fault.js';
import { recordContainer } from './recorded-container.js';
import { recreateContainers } from './remove-containers.js';

// Docker has no replica controller: scaling up starts clones of the oldest matching container
// (same image, labels, env, restart policy; no published host port, which would clash), scaling
// down removes the newest. Each clone's name is journalled before it is created and each removed
// container's configuration before it goes, so the undo removes the clones / re-creates the removed.
export const scaleContainers: DockerFault<'scale'> = {
  planUndo: () => ({ action: 'restore-count', before: 0, clones: [], removed: [] }),
  async inject(fault, context, run) {
    const { docker } = context;
    const wanted = fault.params.replicas;
    const byAge = [...(await context.discover()).instances].sort((a, b) => a.createdAt - b.createdAt);
    const undo = { action: 'restore-count' as const, before: byAge.length, clones: [] as string[], removed: [] as RecordedContainer[] };
    run.record(undo);
    if (wanted > byAge.length) {
      if (byAge[0] === undefined) throw new Error('scale: no container to clone');
      const template = await docker.getContainer(byAge[0].id).inspect();
      const { PortBindings: _ports, ...hostConfig } = template.HostConfig;
      for (let index = byAge.length; index < wanted; index++) {
        const name = `${template.Name.replace(/^\//, '')}-scale-${index}`;
        undo.clones.push(name);
        run.record(undo);
        const created = await docker.createContainer({ ...template.Config, name, HostConfig: hostConfig } as Docker.ContainerCreateOptions);
        await created.start();
      }
    } else {
      for (const instance of byAge.slice(wanted).reverse()) {
        const container = docker.getContainer(instance.id);
        undo.removed.push(recordContainer(await container.inspect()));
        run.record(undo);
        await container.remove({ force: true });
      }
    }
    // What the fault asked for is the desired count until its rollback: recovery time then reads
    // "until every new container is healthy".
    context.setDesired(wanted);
    return {
      undo,
      note: `scaled from ${byAge.length} to ${wanted} containers by hand: a plain Docker host has no replica controller${undo.clones.length > 0 ? ' (clones publish no host port)' : ''}`,
    };
  },
  async undo(record, { docker, setDesired }) {
    const outcome = await restoreCount(docker, record.clones, record.removed);
    if (outcome.ok) setDesired(record.before);
    return outcome;
  },
};

async function restoreCount(docker: Docker, clones: readonly string[], removed: readonly RecordedContainer[]): Promise<RollbackOutcome> {
  const gone: string[] = [];
  const errors: string[] = [];
  for (const name of clones) {
    try {
      await docker.getContainer(name).remove({ force: true });
      gone.push(name);
    } catch (error) {
      if (engineStatus(error) !== 404) errors.push(`remove ${name}: ${engineMessage(error)}`);
    }
  }
  const recreated = await recreateContainers(docker, removed);
  const parts = [...(gone.length > 0 ? [`removed clones ${gone.join(', ')}`] : []), ...(removed.length > 0 ? [recreated.action] : [])];
  const action = parts.length > 0 ? parts.join('; ') : 'nothing to scale back';
  const error = [...errors, ...(recreated.error ? [recreated.error] : [])].join('; ');
  return error ? { ok: false, action, error } : { ok: true, action };
}
