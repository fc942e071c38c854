// The measures `rebound compare` computes per run, by name: defined (how each is read and shown) in
// src/compare/measures.ts. Named here because an experiment's claim may pick one as its headline.
export const measureNames = [
  'recoveryMs',
  'minReady',
  'successRatio',
  'failedRequests',
  'longestOutageMs',
  'latencyP95Ms',
  'maxInstanceShare',
  'crossedNodeShare',
  'restartDelayMs',
  'repeatRestartDelayMs',
  'rolloutMs',
  'stallMs',
  'rolledBackMs',
  'previousVersionShare',
] as const;

export type MeasureName = (typeof measureNames)[number];
