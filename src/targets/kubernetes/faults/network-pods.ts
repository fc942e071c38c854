import { formatDuration } from '../../../common/duration.js';
import type { FaultImplementation, FaultInput, FaultParams, Preparation, UndoRecordOf } from '../../../faults/index.js';
import type { NetworkFaultFacts } from '../../../timeline/timeline.js';
import type { InstanceNetworkFault, InstanceNetworkFaultName } from '../../fault-tools/index.js';
import { type NodeHelper, startNodeHelper } from '../kind/node-helper.js';
import { NodeShell } from '../kind/node-shell.js';
import type { KubernetesFault, KubernetesFaultContext, KubernetesUndoContext } from './fault-context.js';
import { type PodNetworkPlace, podNetworkPlace } from './pod-network-place.js';
import { removePodNetworkFault } from './remove-pod-network-fault.js';

/** How long a prepared unit waits, armed, for its instant before it exits having touched nothing. */
const ARMED_FOR_MS = 30_000;

type Record = UndoRecordOf<'network-delay', 'kubernetes'>;

/**
 * Units started armed in each pod's network namespace before the fault's instant, and a shell
 * session open in the node of each, to fire it through (no `docker exec` at the instant).
 */
export class ArmedPodHelpers implements Preparation {
  constructor(
    readonly key: string,
    readonly armed: readonly { place: PodNetworkPlace; helper: NodeHelper }[],
    private readonly shells: ReadonlyMap<string, NodeShell> = new Map(),
  ) {}

  /** Fires every unit (each through its node's session when open), then closes the sessions. */
  async fire(): Promise<void> {
    try {
      await Promise.all(this.armed.map(({ place, helper }) => helper.fire(undefined, this.shells.get(place.helperId))));
    } finally {
      await this.closeShells();
    }
  }

  async release(): Promise<void> {
    await Promise.allSettled([this.closeShells(), ...this.armed.map(({ helper }) => helper.stop())]);
  }

  private async closeShells(): Promise<void> {
    await Promise.allSettled([...this.shells.values()].map((shell) => shell.close()));
  }
}

/**
 * A network fault on Kubernetes (kind): per selected pod, a transient systemd unit in its node runs
 * the driver inside the pod's network namespace (nsenter), applies the fault, keeps it for `duration`
 * and removes it, on its own; systemd's RuntimeMaxSec and ExecStopPost remove it even if the driver
 * dies. Once per pod, whatever its number of containers (they share the namespace). All or nothing,
 * like the Docker side.
 */
export function networkFaultOnPods<K extends InstanceNetworkFaultName>(name: K): KubernetesFault<K> {
  const places = (input: FaultInput<FaultParams<K>>, context: KubernetesFaultContext) =>
    Promise.all(input.subjects.map((pod) => podNetworkPlace(context, pod, { name, params: input.params } as InstanceNetworkFault)));
  const durationOf = (input: FaultInput<FaultParams<K>>) => (input.params as { duration: number }).duration;
  const start = (context: KubernetesFaultContext, place: PodNetworkPlace, durationMs: number, armMs?: number) =>
    startNodeHelper(context.kindNodes, {
      node: place.node,
      netns: place.netns,
      id: place.helperId,
      script: place.planned.script,
      timing: { durationMs, ...(armMs !== undefined && { armMs }) },
      description: `${name} on pod ${context.namespace}/${place.pod}`,
    });
  const implementation: FaultImplementation<FaultParams<K>, Record, KubernetesFaultContext, KubernetesUndoContext> = {
    planUndo: (_input, context) => ({ action: 'remove-network-fault', namespace: context.namespace, helpers: [] }),
    async prepare(input, context) {
      const ready = await places(input, context);
      const started = await Promise.allSettled(ready.map((place) => start(context, place, durationOf(input), ARMED_FOR_MS)));
      const armed = started.flatMap((result, index) => (result.status === 'fulfilled' ? [{ place: ready[index]!, helper: result.value }] : []));
      const failed = started.find((result) => result.status === 'rejected');
      if (failed) {
        await Promise.allSettled(armed.map(({ helper }) => helper.stop()));
        throw failed.reason;
      }
      // One session per unit, not per node: a session runs one script at a time, and each fire waits for its applied file.
      return new ArmedPodHelpers(keyOf(input), armed, new Map(armed.map(({ place }) => [place.helperId, NodeShell.open(place.node)])));
    },
    async inject(input, context, run) {
      const prepared = run.prepared instanceof ArmedPodHelpers && run.prepared.key === keyOf(input) ? run.prepared : undefined;
      if (prepared) {
        const record: Record = { action: 'remove-network-fault', namespace: context.namespace, helpers: prepared.armed.map(({ place }) => helperRecord(place)) };
        run.record(record);
        await prepared.fire();
        return injected(name, record, prepared.armed.map(({ place }) => place), durationOf(input));
      }
      await run.prepared?.release();
      const ready = await places(input, context);
      const record: Record = { action: 'remove-network-fault', namespace: context.namespace, helpers: ready.map(helperRecord) };
      // Every unit is named in the journal before any of them starts.
      run.record(record);
      await Promise.all(ready.map((place) => start(context, place, durationOf(input))));
      return injected(name, record, ready, durationOf(input));
    },
    undo: (record, context) => removePodNetworkFault(record, context),
  };
  return implementation as unknown as KubernetesFault<K>;
}

function keyOf(input: FaultInput<unknown>): string {
  return JSON.stringify([input.subjects, input.params]);
}

function helperRecord(place: PodNetworkPlace): Record['helpers'][number] {
  return { id: place.helperId, node: place.node.name, pod: place.pod, netns: place.netns, remove: place.planned.script.remove };
}

function injected(name: string, record: Record, places: readonly PodNetworkPlace[], durationMs: number) {
  const first = places[0]!.planned;
  const facts: NetworkFaultFacts = {
    mechanism: first.mechanism,
    effect: first.effect,
    applied: places.map((place) => ({ subject: place.pod, helper: place.helperId, script: place.planned.script.apply })),
    ...(first.proxy && { proxy: first.proxy }),
    endsAfterMs: durationMs,
  };
  const units = places.map((place) => `rebound-helper-${place.helperId} on ${place.node.name}`).join(', ');
  return {
    undo: record,
    note: `${name}: ${first.effect}; unit${places.length === 1 ? '' : 's'} ${units} remove${places.length === 1 ? 's' : ''} it by itself after ${formatDuration(durationMs)}`,
    facts: { network: facts },
  };
}
