import type Docker from 'dockerode';
import { formatDuration } from '../../../common/duration.js';
import type { FaultImplementation, FaultInput, FaultParams, Preparation, UndoRecordOf } from '../../../faults/index.js';
import type { NetworkFaultFacts } from '../../../timeline/timeline.js';
import type { InstanceNetworkFaultName } from '../../fault-tools/index.js';
import { type HelperContainer, startHelperContainer } from '../fault-helpers.js';
import { type ContainerNetworkPlace, containerNetworkPlace } from './container-network-place.js';
import type { DockerFault, DockerFaultContext, DockerUndoContext } from './docker-fault.js';
import { removeContainerNetworkFault } from './remove-container-network-fault.js';

/** How long a prepared helper waits, armed, for its instant before it exits having touched nothing. */
const ARMED_FOR_MS = 30_000;

type Record = UndoRecordOf<InstanceNetworkFaultName, 'docker'>;

/** Helpers started armed in each subject's network namespace before the fault's instant (FaultPreparations). */
export class ArmedContainerHelpers implements Preparation {
  constructor(
    readonly key: string,
    readonly armed: readonly { place: ContainerNetworkPlace; helper: HelperContainer }[],
  ) {}

  async release(): Promise<void> {
    await Promise.allSettled(this.armed.map(({ helper }) => helper.stop()));
  }
}

/**
 * A network fault on Docker: per selected container, a helper container in its network namespace
 * applies the fault, keeps it for `duration` and removes it, on its own (the dead man's switch: a
 * kill -9 of rebound leaves at most the rest of the duration). Prepared ahead of the instant, the
 * helpers wait armed and the injection only fires them. All or nothing: a helper that fails makes
 * the injection fail, and the runner's undo removes what the others applied.
 */
export function networkFaultOnContainers<K extends InstanceNetworkFaultName>(name: K): DockerFault<K> {
  const fault = (input: FaultInput<FaultParams<K>>) => ({ name, params: input.params }) as Parameters<typeof containerNetworkPlace>[2];
  const places = (input: FaultInput<FaultParams<K>>, docker: Docker) => Promise.all(input.subjects.map((subject) => containerNetworkPlace(docker, subject, fault(input))));
  const durationOf = (input: FaultInput<FaultParams<K>>) => (input.params as { duration: number }).duration;
  const implementation: FaultImplementation<FaultParams<K>, Record, DockerFaultContext, DockerUndoContext> = {
    planUndo: () => ({ action: 'remove-network-fault', helpers: [] }),
    async prepare(input, context) {
      const ready = await places(input, context.docker);
      const started = await Promise.allSettled(ready.map((place) => startHelper(context.docker, name, place, durationOf(input), ARMED_FOR_MS)));
      const armed = started.flatMap((result, index) => (result.status === 'fulfilled' ? [{ place: ready[index]!, helper: result.value }] : []));
      const failed = started.find((result) => result.status === 'rejected');
      if (failed) {
        await Promise.allSettled(armed.map(({ helper }) => helper.stop()));
        throw failed.reason;
      }
      return new ArmedContainerHelpers(keyOf(input), armed);
    },
    async inject(input, context, run) {
      const typed = input;
      const prepared = run.prepared instanceof ArmedContainerHelpers && run.prepared.key === keyOf(input) ? run.prepared : undefined;
      if (prepared && (await stillTheSame(context.docker, prepared))) {
        const record: Record = { action: 'remove-network-fault', helpers: prepared.armed.map(({ place }) => helperRecord(place)) };
        run.record(record);
        await Promise.all(prepared.armed.map(async ({ helper }) => {
          context.liveHelpers?.set(helper.id, { helper, endsAt: performance.now() + durationOf(typed) });
          await helper.fire();
        }));
        return injected(name, record, prepared.armed.map(({ place }) => place), durationOf(typed));
      }
      await run.prepared?.release();
      const ready = await places(typed, context.docker);
      const record: Record = { action: 'remove-network-fault', helpers: ready.map(helperRecord) };
      // Every helper is named in the journal before any of them starts.
      run.record(record);
      await Promise.all(ready.map(async (place) => {
        const helper = await startHelper(context.docker, name, place, durationOf(typed));
        context.liveHelpers?.set(place.helperId, { helper, endsAt: performance.now() + durationOf(typed) });
      }));
      return injected(name, record, ready, durationOf(typed));
    },
    undo: (record, context) => removeContainerNetworkFault(record, context),
  };
  return implementation as unknown as DockerFault<K>;
}

function keyOf(input: FaultInput<unknown>): string {
  return JSON.stringify([input.subjects, input.params]);
}

function helperRecord(place: ContainerNetworkPlace): Record['helpers'][number] {
  return { id: place.helperId, target: place.target, name: place.name, remove: place.planned.script.remove };
}

function startHelper(docker: Docker, fault: string, place: ContainerNetworkPlace, durationMs: number, armMs?: number): Promise<HelperContainer> {
  return startHelperContainer(docker, {
    target: place.target,
    id: place.helperId,
    join: { network: true },
    script: place.planned.script,
    timing: { durationMs, ...(armMs !== undefined && { armMs }) },
    labels: { 'rebound.dev/fault': fault },
  });
}

/** A container restarted since its helper was armed has a new network namespace: the armed helper sits in the old one. */
async function stillTheSame(docker: Docker, prepared: ArmedContainerHelpers): Promise<boolean> {
  const states = await Promise.all(prepared.armed.map(({ place }) => docker.getContainer(place.target).inspect().then((info) => info.State, () => undefined)));
  return states.every((state, index) => state?.Running === true && state.StartedAt === prepared.armed[index]!.place.startedAt);
}

function injected(name: string, record: Record, places: readonly ContainerNetworkPlace[], durationMs: number) {
  const first = places[0]!.planned;
  const facts: NetworkFaultFacts = {
    mechanism: first.mechanism,
    effect: first.effect,
    applied: places.map((place) => ({ subject: place.name, helper: place.helperId, script: place.planned.script.apply })),
    ...(first.proxy && { proxy: first.proxy }),
    endsAfterMs: durationMs,
  };
  return {
    undo: record,
    note: `${name}: ${first.effect}; helper container${places.length === 1 ? '' : 's'} ${places.map((place) => `rebound-helper-${place.helperId}`).join(', ')} remove${places.length === 1 ? 's' : ''} it by itself after ${formatDuration(durationMs)}`,
    facts: { network: facts },
  };
}
