import type { GuardDefinition } from './guard.js';
import { httpGuard } from './http-guard.js';
import { replicaFloorGuard } from './replica-floor-guard.js';

// The guard catalog: the experiment schema (`guards:`), `rebound list` and the JSON Schema come from here.
export const guardCatalog = { http: httpGuard, replicas: replicaFloorGuard } satisfies Record<string, GuardDefinition>;

export type GuardName = keyof typeof guardCatalog;
export const guardNames = Object.keys(guardCatalog) as GuardName[];
