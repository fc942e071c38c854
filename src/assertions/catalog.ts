import type { AssertionDefinition } from './assertion.js';
import { balance } from './balance.js';
import { recoveryTime } from './recovery-time.js';
import { replicas } from './replicas.js';
import { rollout } from './rollout.js';
import { traffic } from './traffic.js';

// The assertion catalog: `rebound list`, the experiment schema and the JSON Schema come from here.
export const assertionCatalog = { recoveryTime, replicas, traffic, balance, rollout } satisfies Record<string, AssertionDefinition>;

export type AssertionName = keyof typeof assertionCatalog;
export const assertionNames = Object.keys(assertionCatalog) as AssertionName[];
