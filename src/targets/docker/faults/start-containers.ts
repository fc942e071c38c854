import type Docker from 'dockerode';
import type { RollbackOutcome } from '../../../faults/index.js';
import { engineMessage, engineStatus } from '../docker-client.js';

/**
 * The undo of faults that leave containers down (crash, kill, stop, restart, fail-node): start each
 * one still not running, unpause a paused one. Idempotent; a container that no longer exists is a
 * failure to report, not something to invent.
 */
export async function startContainers(docker: Docker, names: readonly string[]): Promise<RollbackOutcome> {
  return forEachContainer(docker, names, async (container, state, name) => {
    if (state.Paused) {
      await container.unpause();
      return `unpaused ${name}`;
    }
    if (!state.Running && !state.Restarting) {
      await container.start();
      return `started ${name} again`;
    }
    return undefined;
  });
}

/** The undo of pause: unpause each container still paused (and nothing else). */
export async function unpauseContainers(docker: Docker, names: readonly string[]): Promise<RollbackOutcome> {
  return forEachContainer(docker, names, async (container, state, name) => {
    if (!state.Paused) return undefined;
    await container.unpause();
    return `unpaused ${name}`;
  });
}

type ContainerState = Docker.ContainerInspectInfo['State'];

async function forEachContainer(
  docker: Docker,
  names: readonly string[],
  act: (container: Docker.Container, state: ContainerState, name: string) => Promise<string | undefined>,
): Promise<RollbackOutcome> {
  const actions: string[] = [];
  const errors: string[] = [];
  for (const name of names) {
    try {
      const container = docker.getContainer(name);
      const done = await act(container, (await container.inspect()).State, name);
      if (done !== undefined) actions.push(done);
    } catch (error) {
      errors.push(engineStatus(error) === 404 ? `${name} no longer exists (removed by someone else)` : `${name}: ${engineMessage(error)}`);
    }
  }
  const action = actions.length > 0 ? actions.join(', ') : names.length === 0 ? 'nothing to undo' : `${names.join(', ')} as they should be: nothing to undo`;
  return errors.length > 0 ? { ok: false, action, error: errors.join('; ') } : { ok: true, action };
}

/** The shared undo half of every fault whose undo record is "start these containers". */
export const startsWhatStaysDown = {
  planUndo: (fault: { subjects: readonly string[] }) => ({ action: 'start' as const, containers: [...fault.subjects] }),
  undo: (record: { containers: string[] }, context: { docker: Docker }) => startContainers(context.docker, record.containers),
};
