import type Docker from 'dockerode';
import { sleep } from '../../../common/clock.js';
import { errorMessage } from '../../../common/errors.js';
import type { RollbackOutcome, UndoRecordOf } from '../../../faults/index.js';
import { engineStatus } from '../docker-client.js';
import { runHelperCommand } from '../fault-helpers.js';
import type { DockerUndoContext, LiveHelper } from './docker-fault.js';
import type { HelperExit } from '../fault-helpers.js';

/**
 * A rollback due at the helper's own deadline waits this long past it for the helper to end by
 * itself: a SIGTERM that reaches the driver while it is already removing cuts that removal short
 * (its trap sees the removal begun and exits; seen here at the deadline of a 5 s delay), and the
 * remove script would have to run again from another helper container (~0.5 s).
 */
const DEADLINE_GRACE_MS = 1500;

type Record = UndoRecordOf<'network-delay', 'docker'>;

/**
 * Ends a network fault on Docker, from its undo record alone: each helper container is stopped
 * (SIGTERM: its driver takes the redirect away, lets in-flight requests finish and removes the
 * rules), then, unless that helper said it removed everything, the record's remove script runs
 * once more in the container's network namespace: only that cleans up after a helper that was
 * SIGKILLed (the rules live as long as the namespace, not the helper). A container that is gone
 * or stopped took its namespace, and the fault, with it. Idempotent.
 */
export async function removeContainerNetworkFault(record: Record, context: DockerUndoContext): Promise<RollbackOutcome> {
  const results = await Promise.all(record.helpers.map((helper) => removeOne(context, helper)));
  const errors = results.filter((result) => result.error !== undefined).map((result) => result.error!);
  const done = results.filter((result) => result.error === undefined).map((result) => result.action);
  const action = record.helpers.length === 0 ? 'nothing was applied: nothing to remove' : done.join('; ') || 'remove the network fault';
  return errors.length > 0 ? { ok: false, action, error: errors.join('; ') } : { ok: true, action };
}

async function removeOne({ docker, liveHelpers }: DockerUndoContext, helper: Record['helpers'][number]): Promise<{ action: string; error?: string }> {
  let removedByHelper = false;
  const live = liveHelpers?.get(helper.id);
  try {
    if (live) {
      removedByHelper = (await endLiveHelper(live)).removed;
      liveHelpers?.delete(helper.id);
    } else {
      await stopHelperContainer(docker, helper.id);
    }
  } catch (error) {
    return { action: `stop helper ${helper.id}`, error: `${helper.name}: stopping helper rebound-helper-${helper.id} failed: ${errorMessage(error)}` };
  }
  if (removedByHelper) return { action: `${helper.name}: removed by its helper ${helper.id}` };
  const running = await docker.getContainer(helper.target).inspect().then((info) => info.State.Running && !info.State.Paused, (error: unknown) => {
    if (engineStatus(error) === 404) return false;
    throw error;
  }).catch((error: unknown) => error as Error);
  if (running instanceof Error) return { action: `remove from ${helper.name}`, error: `${helper.name}: ${errorMessage(running)}` };
  if (!running) return { action: `${helper.name} is no longer running: its network namespace, and the fault, went with it` };
  try {
    const result = await runHelperCommand(docker, { target: helper.target, join: { network: true }, command: ['bash', '-c', helper.remove] });
    if (result.exitCode !== 0) return { action: `remove from ${helper.name}`, error: `${helper.name}: the remove script exited ${result.exitCode}: ${(result.stderr || result.stdout).trim().slice(-300)}` };
  } catch (error) {
    return { action: `remove from ${helper.name}`, error: `${helper.name}: ${errorMessage(error)}` };
  }
  return { action: `${helper.name}: ${live ? `helper ${helper.id} did not say it removed everything; removed` : 'removed'} from its network namespace` };
}

/** Stops a helper, or, when its own deadline is (nearly) here, lets it end by itself. */
async function endLiveHelper({ helper, endsAt }: LiveHelper): Promise<HelperExit> {
  const untilEnd = endsAt - performance.now();
  if (untilEnd < DEADLINE_GRACE_MS) {
    const ended = await Promise.race([helper.exited, sleep(Math.max(0, untilEnd) + DEADLINE_GRACE_MS).then(() => undefined)]);
    if (ended) return saidRemoved(helper, ended);
  }
  return saidRemoved(helper, await helper.stop());
}

/** The attach stream's last lines can arrive just after the container is gone: look once more for "removed". */
async function saidRemoved(helper: LiveHelper['helper'], exit: HelperExit): Promise<HelperExit> {
  if (exit.removed || exit.exitCode !== 0) return exit;
  await sleep(100);
  return { ...exit, removed: helper.events.some((event) => event.event === 'removed') };
}

/** docker stop of a helper still there (its driver removes the fault on SIGTERM); gone already is fine. */
async function stopHelperContainer(docker: Docker, id: string): Promise<void> {
  const container = docker.getContainer(`rebound-helper-${id}`);
  try {
    await container.stop({ t: 15 });
  } catch (error) {
    // 304: already stopped; 404: already gone (it ended by itself at its deadline).
    if (engineStatus(error) !== 304 && engineStatus(error) !== 404) throw error;
  }
}
