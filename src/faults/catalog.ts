import type { z } from 'zod';
import type { TargetKind } from '../common/target-kind.js';
import type { FaultImplementation } from './fault-implementation.js';
import type { FaultModule, Supported, UndoShape, Unsupported } from './fault-module.js';
import { cpuStress } from './modules/cpu-stress.js';
import { connectionFault } from './modules/connection-fault.js';
import { crash } from './modules/crash.js';
import { drainNode } from './modules/drain-node.js';
import { failNode } from './modules/fail-node.js';
import { kill } from './modules/kill.js';
import { memoryStress } from './modules/memory-stress.js';
import { oom } from './modules/oom.js';
import { networkBandwidth } from './modules/network-bandwidth.js';
import { networkCorrupt } from './modules/network-corrupt.js';
import { networkDelay } from './modules/network-delay.js';
import { networkDuplicate } from './modules/network-duplicate.js';
import { networkLoss } from './modules/network-loss.js';
import { partition } from './modules/partition.js';
import { partitionNode } from './modules/partition-node.js';
import { pause } from './modules/pause.js';
import { remove } from './modules/remove.js';
import { restart } from './modules/restart.js';
import { rollout } from './modules/rollout.js';
import { scale } from './modules/scale.js';
import { spikeLoad } from './modules/spike-load.js';
import { squeeze } from './modules/squeeze.js';
import { stop } from './modules/stop.js';

// Every fault rebound knows, by name. `rebound list`, the experiment schema, the JSON Schema, the
// README's fault table, the planner, the runner, the journal and `rebound recover` all read this map;
// each target's implementations are typed from it (src/targets/<kind>/faults/index.ts).
export const faultCatalog = {
  crash,
  kill,
  stop,
  pause,
  restart,
  remove,
  'drain-node': drainNode,
  'fail-node': failNode,
  scale,
  'cpu-stress': cpuStress,
  'memory-stress': memoryStress,
  oom,
  squeeze,
  rollout,
  'network-delay': networkDelay,
  'network-loss': networkLoss,
  'network-bandwidth': networkBandwidth,
  partition,
  'connection-fault': connectionFault,
  'partition-node': partitionNode,
  'network-corrupt': networkCorrupt,
  'network-duplicate': networkDuplicate,
  'spike-load': spikeLoad,
} satisfies Record<string, FaultModule>;

type Catalog = typeof faultCatalog;
export type FaultName = keyof Catalog;
export const faultNames = Object.keys(faultCatalog) as FaultName[];

// Each entry's key is its module's name: `faults: [{ crash: … }]` and the module agree.
faultCatalog satisfies { [K in FaultName]: FaultModule<K> };

/** A fault's parameters after the schema (defaults applied). */
export type FaultParams<K extends FaultName> = z.output<Catalog[K]['params']>;

/** The faults a target does itself, i.e. the ones its implementation map must have. */
export type ImplementedOn<T extends TargetKind> = {
  [K in FaultName]: Catalog[K] extends { drivenBy: 'target' } ? (Catalog[K][T] extends Supported ? K : never) : never;
}[FaultName];

/** The faults the runner drives (the same on every target). */
export type RunnerDriven = { [K in FaultName]: Catalog[K] extends { drivenBy: 'runner' } ? K : never }[FaultName];

/** The undo record of fault K on target T. */
export type UndoRecordOf<K extends FaultName, T extends TargetKind> = Catalog[K][T] extends { undo: infer S extends z.ZodType<UndoShape> } ? z.output<S> : never;

/**
 * A target's implementation map: one implementation for every fault the catalog says it supports,
 * none for the others (declare `satisfies ImplementationsOn<'docker', …>`: a missing one is a compile error).
 */
export type ImplementationsOn<T extends TargetKind, Context extends UndoContext, UndoContext> = {
  [K in ImplementedOn<T>]: FaultImplementation<FaultParams<K>, UndoRecordOf<K, T>, Context, UndoContext>;
};

/** The module of a fault by name, for code that holds a name only (the journal, the planner). */
export function faultModule(name: FaultName): FaultModule {
  return faultCatalog[name];
}

/** Why a target cannot do a fault, or undefined when it can. */
export function unsupportedReason(name: FaultName, target: TargetKind): string | undefined {
  const support = faultCatalog[name][target] as Supported | Unsupported;
  return 'unsupported' in support ? support.unsupported : undefined;
}
