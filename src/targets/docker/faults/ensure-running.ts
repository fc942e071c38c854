import type Docker from 'dockerode';
import type { RollbackOutcome } from '../../target.js';

/**
 * The rollback of faults that leave a container down: start it if it is still not running (after
 * the run's measurements), unpause it if paused. Idempotent.
 */
export async function ensureRunning(docker: Docker, names: readonly string[]): Promise<RollbackOutcome> {
  const actions: string[] = [];
  const errors: string[] = [];
  for (const name of names) {
    try {
      const container = docker.getContainer(name);
      const state = (await container.inspect()).State;
      if (state.Paused) {
        await container.unpause();
        actions.push(`unpaused ${name}`);
      } else if (!state.Running && !state.Restarting) {
        await container.start();
        actions.push(`started ${name} again`);
      }
    } catch (error) {
      errors.push(`${name}: ${(error as Error).message}`);
    }
  }
  const action = actions.length > 0 ? actions.join(', ') : `${names.join(', ')} already running: nothing to undo`;
  return errors.length > 0 ? { ok: false, action, error: errors.join('; ') } : { ok: true, action };
}
