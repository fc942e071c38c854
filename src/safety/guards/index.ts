export { guardCatalog, type GuardName, guardNames } from './catalog.js';
export type { GuardDefinition, GuardMoment, GuardState } from './guard.js';
export { httpGuard, type HttpGuardParams } from './http-guard.js';
export { replicaFloorGuard, type ReplicaFloorParams } from './replica-floor-guard.js';
export { GUARD_INTERVAL_MS, type GuardSpec, type GuardTrip, type GuardWatch, watchGuards } from './watch-guards.js';
