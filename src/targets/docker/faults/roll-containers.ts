import type Docker from 'dockerode';
import { errorMessage, UsageError } from '../../../common/errors.js';
import type { RecordedContainer, RollbackOutcome } from '../../../faults/index.js';
import { releaseInWords } from '../../../faults/modules/rollout.js';
import { engineMessage, engineStatus } from '../docker-client.js';
import type { DockerFault } from './docker-fault.js';
import { recordContainer } from './recorded-container.js';
import { recreateLikeCompose, type RecreationTimes, removeTemporaries, type Replacement } from './recreate-like-compose.js';
import { startContainers } from './start-containers.js';
import { alreadyReleased, type ImageDefaults, sameRelease, successorConfig } from './successor-config.js';

/** What `docker compose up` gives a Docker user: no rolling update, every old container is gone before a successor starts. */
const STRATEGY = 'recreated as `docker compose up -d` does: every old container stopped before the first successor starts';

/**
 * rollout on a Docker host = Compose's recreation of a changed service (recreate-like-compose.ts),
 * oldest container first. Every container's configuration is journalled before anything is created
 * or stopped, so the rollback, the undo of an injection that failed half-way and `rebound recover`
 * all put the previous release back the same way (same names, labels, ports, restart policy).
 */
export const rollContainers: DockerFault<'rollout'> = {
  planUndo: (fault) => ({ action: 'recreate-previous', containers: [], stopTimeoutS: stopSeconds(fault.params.stopTimeout) }),
  async inject(fault, context, run) {
    const { docker } = context;
    const { to } = fault.params;
    const instances = [...(await context.discover()).instances].sort((a, b) => a.createdAt - b.createdAt || a.name.localeCompare(b.name));
    if (instances.length === 0) throw new Error('rollout: no container matches the system selector: nothing to roll out');
    const nodes = instances.filter((instance) => instance.protectedReason?.startsWith('a kind node'));
    if (nodes.length > 0) throw new UsageError(`rollout: the selector matches kind node containers (${nodes.map((node) => node.name).join(', ')}): rebound does not replace them`, { hint: 'narrow system.selector to the application\'s containers' });
    if (to.image !== undefined) await requireImage(docker, to.image);
    const infos = await Promise.all(instances.map((instance) => docker.getContainer(instance.id).inspect()));
    const recorded = infos.map(recordContainer);
    const undo = { action: 'recreate-previous' as const, containers: recorded, stopTimeoutS: stopSeconds(fault.params.stopTimeout) };
    run.record(undo);
    const release = releaseInWords(to);
    const pending = infos.filter((_, index) => !alreadyReleased(recorded[index]!, to));
    const facts = { rollout: { strategy: STRATEGY } };
    if (pending.length === 0) return { undo, note: `every container runs ${release} already: Compose leaves them as they are`, facts };
    const replacements: Replacement[] = [];
    for (const info of pending) {
      const previous = recordContainer(info);
      const defaults = to.image !== undefined && to.image !== previous.config.Image ? await imageDefaults(docker, info.Image) : undefined;
      replacements.push({ current: { id: info.Id, name: previous.name }, next: successorConfig(previous, to, defaults) });
    }
    const times = await recreateLikeCompose(docker, replacements, { stopTimeoutS: undo.stopTimeoutS });
    // The steps' times differ every run: a timeline note, so the fault's note says the same every iteration.
    run.timeline.add({ t: run.timeline.now(), source: 'fault', kind: 'note', data: { text: `rollout on Docker: ${timesInWords(replacements.length, times)}` } });
    return { undo, note: `${release}, ${STRATEGY}`, facts };
  },
  undo: (record, { docker }) => recreatePrevious(docker, record.containers, record.stopTimeoutS ?? 10),
};

const stopSeconds = (ms: number) => Math.ceil(ms / 1000);

/** Puts every recorded container back as it was; idempotent (a container still the recorded one is only started if down). */
async function recreatePrevious(docker: Docker, previous: readonly RecordedContainer[], stopTimeoutS: number): Promise<RollbackOutcome> {
  try {
    const leftovers = await removeTemporaries(docker, previous.map((container) => container.name));
    const kept: string[] = [];
    const replacements: Replacement[] = [];
    const errors: string[] = [];
    const currents = await Promise.all(previous.map((container) => inspectByName(docker, container.name)));
    for (const [index, container] of previous.entries()) {
      const current = currents[index];
      if (current !== undefined && (current.Id === container.id || sameRelease(recordContainer(current), container))) {
        // The previous release (the original, which the rollout died before replacing, or one an
        // earlier undo re-created): started again if the rollout had stopped it.
        const started = await startContainers(docker, [container.name]);
        if (!started.ok) errors.push(started.error ?? started.action);
        kept.push(container.name);
        continue;
      }
      replacements.push({ ...(current && { current: { id: current.Id, name: container.name } }), next: container });
    }
    const times = replacements.length > 0 ? await recreateLikeCompose(docker, replacements, { stopTimeoutS }) : undefined;
    const parts = [
      ...(times ? [`${replacements.map((replacement) => replacement.next.name).join(', ')} re-created from the recorded configuration, as Compose recreates: ${timesInWords(replacements.length, times)}`] : []),
      ...(kept.length > 0 ? [`${kept.join(', ')} still the previous release`] : []),
      ...(leftovers.length > 0 ? [`removed the unfinished successor${leftovers.length === 1 ? '' : 's'} ${leftovers.join(', ')}`] : []),
    ];
    const action = times === undefined && leftovers.length === 0 ? `every container is the previous release already: nothing to undo` : parts.join('; ');
    return errors.length > 0 ? { ok: false, action, error: errors.join('; ') } : { ok: true, action };
  } catch (error) {
    return { ok: false, action: `re-create ${previous.map((container) => container.name).join(', ')} from the recorded configuration`, error: errorMessage(error) };
  }
}

/** "3 successors created (0.21 s), the old stopped and removed (0.63 s), started at 1.20, 1.71, 2.25 s". */
function timesInWords(count: number, times: RecreationTimes): string {
  const seconds = (ms: number) => (ms / 1000).toFixed(2);
  return `${count} successor${count === 1 ? '' : 's'} created (+${seconds(times.createdMs)} s), the old ${count === 1 ? 'container' : 'containers'} stopped and removed (+${seconds(times.replacedMs)} s), started one after another at +${times.startedMs.map(seconds).join(', +')} s`;
}

async function inspectByName(docker: Docker, name: string): Promise<Docker.ContainerInspectInfo | undefined> {
  try {
    return await docker.getContainer(name).inspect();
  } catch (error) {
    if (engineStatus(error) === 404) return undefined;
    throw error;
  }
}

/** Nothing is pulled: a missing image is said before any container is touched. */
async function requireImage(docker: Docker, image: string): Promise<void> {
  try {
    await docker.getImage(image).inspect();
  } catch (error) {
    if (engineStatus(error) === 404) throw new Error(`rollout: the image ${image} is not on the Docker engine (rebound pulls nothing): build or load it first`);
    throw new Error(`rollout: cannot inspect image ${image}: ${engineMessage(error)}`, { cause: error });
  }
}

/** What the old image put into the container's configuration, so a successor of another image does not inherit it. */
async function imageDefaults(docker: Docker, imageId: string): Promise<ImageDefaults | undefined> {
  const image = await docker.getImage(imageId).inspect().catch(() => undefined);
  return image?.Config as ImageDefaults | undefined;
}
