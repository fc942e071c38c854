import type { z } from 'zod';
import type { TargetKind } from '../common/target-kind.js';

export type Support = { supported: true; note?: string } | { supported: false; reason: string };

// A fault as the catalog knows it: its parameters, what it acts on and where it runs. What it does
// on each engine lives in that engine's target (src/targets/<kind>/faults/), the only engine code.
export interface FaultDefinition<P extends Record<string, unknown> = Record<string, unknown>> {
  name: string;
  /** One line for `rebound list`. */
  summary: string;
  /** instances: containers / pods; hosts: nodes; system: the whole workload (scale, load). */
  actsOn: 'instances' | 'hosts' | 'system';
  params: z.ZodType<P>;
  support: Record<TargetKind, Support>;
  /** When set, the runner rolls the fault back this many ms after injecting it (pause, fail-node). */
  durationOf?(params: P): number | undefined;
}
