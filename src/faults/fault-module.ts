import type { z } from 'zod';

// What a fault is, once: its parameters, what it does on each target (or why it cannot), how it is
// undone and what that undo must remember. The engine code for each target lives in
// src/targets/<kind>/faults/, typed from this definition (see fault-implementation.ts), so a
// missing implementation or undo handler is a compile error.

/** Every undo record says what to do; the rest is what that needs (names, recorded configuration, counts). */
export interface UndoShape {
  action: string;
}

/** A target that does the fault. */
export interface Supported<S extends z.ZodType<UndoShape> = z.ZodType<UndoShape>> {
  /** What the fault does there, one line (`rebound list`, the README's fault table). */
  does: string;
  /** How it is undone, one line. */
  rollback: string;
  /**
   * The undo record: everything needed to undo the fault without the process that injected it
   * (journalled before the fault acts, refined as it learns more, read back by `rebound recover`).
   */
  undo: S;
}

/** A target that cannot do the fault, and why, in words a user can act on. */
export interface Unsupported {
  unsupported: string;
}

export type TargetSupport = Supported | Unsupported;

interface FaultBase<Name extends string, S extends z.ZodType<object, unknown>> {
  name: Name;
  /** One line for `rebound list` and the experiment schema's description. */
  summary: string;
  /** instances: containers / pods; hosts: nodes; system: the whole workload (scale, load). */
  actsOn: 'instances' | 'hosts' | 'system';
  /** The fault's parameters: defaults are applied here, once; implementations get the output type. */
  params: S;
  docker: TargetSupport;
  kubernetes: TargetSupport;
  /**
   * The run samples the CPU (usage, throttling) and memory of the instances this fault touches, from
   * before the first fault to the end (resource-sample entries, the HTML report's resource chart).
   */
  samplesResources?: boolean;
  /** When set, the runner rolls the fault back this many ms after injecting it (pause, fail-node, spike-load). */
  // A method, so that a module with precise params still is a FaultModule (methods are bivariant).
  durationOf?(params: z.output<S>): number | undefined;
}

/** Done by the target (engine code in src/targets/<kind>/faults/). */
export interface TargetDrivenFault<Name extends string = string, S extends z.ZodType<object, unknown> = z.ZodType<object, unknown>> extends FaultBase<Name, S> {
  drivenBy: 'target';
}

/** Done by the runner itself, the same on every target (spike-load: the shared load generator). */
export interface RunnerDrivenFault<Name extends string = string, S extends z.ZodType<object, unknown> = z.ZodType<object, unknown>> extends FaultBase<Name, S> {
  drivenBy: 'runner';
  /** What `rebound recover` says is left after the rebound process died (usually: nothing, it died with it). */
  afterDeath: string;
}

export type FaultModule<Name extends string = string, S extends z.ZodType<object, unknown> = z.ZodType<object, unknown>> = TargetDrivenFault<Name, S> | RunnerDrivenFault<Name, S>;

/** Keeps every literal of a fault definition (its name, its support per target) for the types built on it. */
export function defineFault<const Name extends string, S extends z.ZodType<object, unknown>, const M extends FaultModule<Name, S>>(module: M & FaultModule<Name, S>): M {
  return module;
}
