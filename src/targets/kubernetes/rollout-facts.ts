import type { V1Deployment, V1ReplicaSet } from '@kubernetes/client-node';
import type { RolloutEntry } from '../../timeline/timeline.js';
import { epochMs } from './pod-facts.js';

// What rebound reads from a Deployment and its ReplicaSets about a rollout, as pure functions of
// the API objects (unit-tested on plain objects).

/** The Deployment controller numbers pod templates here, on the Deployment and on each ReplicaSet. */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

const revisionOf = (object: { metadata?: { annotations?: Record<string, string> } }) => {
  const revision = Number(object.metadata?.annotations?.[REVISION_ANNOTATION]);
  return Number.isInteger(revision) ? revision : undefined;
};

/**
 * The rollout is over, as `kubectl rollout status` decides: the controller has seen the latest
 * spec, and every pod runs the current template, is available, and nothing else runs.
 */
export function rolloutComplete(deployment: V1Deployment): boolean {
  const desired = deployment.spec?.replicas ?? 1;
  const status = deployment.status ?? {};
  const observed = (status.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0);
  return observed && (status.updatedReplicas ?? 0) === desired && (status.replicas ?? 0) === desired && (status.availableReplicas ?? 0) === desired;
}

/** "RollingUpdate maxSurge 1, maxUnavailable 0" (or Recreate). */
export function strategyInWords(deployment: V1Deployment): string {
  const strategy = deployment.spec?.strategy;
  if (strategy?.type === 'Recreate') return 'the Recreate strategy (every old pod goes before the new ones start)';
  const rolling = strategy?.rollingUpdate;
  return `RollingUpdate maxSurge ${String(rolling?.maxSurge ?? '25%')}, maxUnavailable ${String(rolling?.maxUnavailable ?? '25%')}`;
}

/** Whether a ReplicaSet belongs to the Deployment (its controller owner reference). */
export function ownedBy(replicaSet: V1ReplicaSet, deployment: V1Deployment): boolean {
  const uid = deployment.metadata?.uid;
  return (replicaSet.metadata?.ownerReferences ?? []).some((reference) => reference.controller === true && reference.kind === 'Deployment' && (uid === undefined ? reference.name === deployment.metadata?.name : reference.uid === uid));
}

/**
 * A Deployment's rollout as a timeline entry's data: its counts and conditions, and its ReplicaSets
 * that have or want pods (the current one always), newest revision first. The current ReplicaSet is
 * the one of the Deployment's revision.
 */
export function rolloutState(deployment: V1Deployment, replicaSets: readonly V1ReplicaSet[]): RolloutEntry['data'] {
  const status = deployment.status ?? {};
  const revision = revisionOf(deployment);
  const condition = (type: string) => status.conditions?.find((candidate) => candidate.type === type);
  const progressing = condition('Progressing');
  const sets = replicaSets
    .filter((replicaSet) => ownedBy(replicaSet, deployment))
    .map((replicaSet) => ({
      name: replicaSet.metadata?.name ?? '',
      ...(revisionOf(replicaSet) !== undefined && { revision: revisionOf(replicaSet)! }),
      replicas: replicaSet.spec?.replicas ?? 0,
      ready: replicaSet.status?.readyReplicas ?? 0,
      current: revision !== undefined && revisionOf(replicaSet) === revision,
    }))
    .filter((replicaSet) => replicaSet.current || replicaSet.replicas > 0 || replicaSet.ready > 0)
    .sort((a, b) => (b.revision ?? 0) - (a.revision ?? 0));
  return {
    owner: `Deployment/${deployment.metadata?.name ?? ''}`,
    ...(revision !== undefined && { revision }),
    observed: (status.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0),
    desired: deployment.spec?.replicas ?? 1,
    updated: status.updatedReplicas ?? 0,
    total: status.replicas ?? 0,
    available: status.availableReplicas ?? 0,
    complete: rolloutComplete(deployment),
    ...(progressing && { progressing: { status: progressing.status, ...(progressing.reason && { reason: progressing.reason }), ...(progressing.message && { message: progressing.message }) } }),
    ...(condition('Available') && { availableCondition: condition('Available')!.status }),
    replicaSets: sets,
  };
}

/** When the Progressing condition last changed reason, epoch ms (1 s precision), for the entry's engineTime. */
export function progressingUpdatedAt(deployment: V1Deployment): number | undefined {
  return epochMs(deployment.status?.conditions?.find((candidate) => candidate.type === 'Progressing')?.lastUpdateTime);
}
