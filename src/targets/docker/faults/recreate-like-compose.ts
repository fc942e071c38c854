import type Docker from 'dockerode';
import type { RecordedContainer } from '../../../faults/index.js';
import { engineMessage, engineStatus } from '../docker-client.js';
import { createRecorded } from './recorded-container.js';

/** One container of a recreation: what is there now, and what takes its name. */
export interface Replacement {
  /** The container there now, stopped and removed (undefined: there is none of that name). */
  current?: { id: string; name: string };
  /** Its successor: created under a temporary name, renamed to `next.name` once `current` is gone. */
  next: RecordedContainer;
}

/** When each step ended, ms after the recreation began (performance.now based). */
export interface RecreationTimes {
  /** Every successor created. */
  createdMs: number;
  /** Every old container stopped and removed, every successor renamed. */
  replacedMs: number;
  /** Each successor's start, in the order started. */
  startedMs: number[];
}

/** Compose's temporary name for a successor: the replaced container's short id, "_", the name. */
export function temporaryName(replacement: Replacement): string {
  return `${(replacement.current?.id ?? replacement.next.id).slice(0, 12)}_${replacement.next.name}`;
}

/**
 * Replaces containers the way `docker compose up -d` recreates a changed service (measured with
 * Compose v2.40.3, see src/faults/modules/rollout.ts): every successor is created first, then every
 * old container is stopped (SIGTERM, SIGKILL after `stopTimeoutS`) and removed and its successor
 * renamed, all in parallel; only then are the successors started, one after another, in the order
 * given. A failure stops it where it is and throws; temporary containers left behind are found by
 * name (removeTemporaries), so no journal record is needed for them.
 */
export async function recreateLikeCompose(docker: Docker, replacements: readonly Replacement[], options: { stopTimeoutS: number }): Promise<RecreationTimes> {
  const began = performance.now();
  const since = () => Math.round((performance.now() - began) * 10) / 10;
  const created = await Promise.all(
    replacements.map(async (replacement) => {
      try {
        return await createRecorded(docker, replacement.next, temporaryName(replacement));
      } catch (error) {
        throw new Error(`creating the successor of ${replacement.next.name}: ${engineMessage(error)}`, { cause: error });
      }
    }),
  );
  const createdMs = since();
  await Promise.all(
    replacements.map(async (replacement, index) => {
      if (replacement.current) await stopAndRemove(docker, replacement.current, options.stopTimeoutS);
      try {
        await created[index]!.rename({ name: replacement.next.name });
      } catch (error) {
        throw new Error(`renaming ${temporaryName(replacement)} to ${replacement.next.name}: ${engineMessage(error)}`, { cause: error });
      }
    }),
  );
  const replacedMs = since();
  const startedMs: number[] = [];
  for (const [index, container] of created.entries()) {
    try {
      await container.start();
    } catch (error) {
      throw new Error(`starting ${replacements[index]!.next.name}: ${engineMessage(error)}`, { cause: error });
    }
    startedMs.push(since());
  }
  return { createdMs, replacedMs, startedMs };
}

async function stopAndRemove(docker: Docker, current: { id: string; name: string }, stopTimeoutS: number): Promise<void> {
  const container = docker.getContainer(current.id);
  try {
    await container.stop({ t: stopTimeoutS });
  } catch (error) {
    // 304: already stopped; 404: already gone. Either way it serves nothing now.
    if (engineStatus(error) !== 304 && engineStatus(error) !== 404) throw new Error(`stopping ${current.name}: ${engineMessage(error)}`, { cause: error });
  }
  try {
    // force: a container the engine is restarting (a crash-looping release) is not "stopped" for long.
    await container.remove({ force: true });
  } catch (error) {
    if (engineStatus(error) !== 404) throw new Error(`removing ${current.name}: ${engineMessage(error)}`, { cause: error });
  }
}

/** Removes the temporary successors (`<12 hex>_<name>`) a recreation left behind, for the given names; returns their names. */
export async function removeTemporaries(docker: Docker, names: readonly string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const escape = (name: string) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^/?[0-9a-f]{12}_(${names.map(escape).join('|')})$`);
  // One listing for all names (the engine ORs name filters, each a substring match): the rest is checked here.
  const listed = await docker.listContainers({ all: true, filters: { name: names.map((name) => `_${name}`) } });
  const removed: string[] = [];
  for (const container of listed) {
    const found = container.Names.find((candidate) => pattern.test(candidate));
    if (found === undefined) continue;
    try {
      await docker.getContainer(container.Id).remove({ force: true });
      removed.push(found.replace(/^\//, ''));
    } catch (error) {
      if (engineStatus(error) !== 404) throw error;
    }
  }
  return removed;
}
