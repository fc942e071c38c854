import { UsageError } from '../common/errors.js';
import type { Experiment } from '../experiments/schema.js';
import type { LoadRequest } from '../probes/traffic.js';
import type { TargetKind } from '../targets/target.js';

/**
 * When a cluster load starts by default (ms from run start; load.startAfter sets it): time for its
 * Job's pods to be scheduled and started. Measured on this project's kind cluster (2 cores shared
 * with other work): 4 pods of the rebound image began their share 5–7.5 s after the Job was created
 * when the machine was busy, 1.7–3.8 s when it was not. A pod that starts later keeps to the common
 * schedule from then on, skips what it missed, and is reported slow.
 */
export const CLUSTER_LOAD_START_MS = 8000;

/** The experiment's load as the run starts it: where it goes, and when. */
export interface PlannedLoad extends LoadRequest {
  in: 'local' | 'cluster';
}

/**
 * Local: to the system's loopback url, at once. Cluster (Kubernetes only): to the system's Service by
 * its DNS name (port: load.service.port, else the Service's first, resolved by the target), from
 * CLUSTER_LOAD_START_MS, off the nodes of node faults with load.avoidFaultedNodes. Undefined without
 * a load, or a local load without a url (the plan warns about that already).
 */
export function planLoad(experiment: Experiment, target: TargetKind, localUrl: string | undefined, nodeFaultSubjects: readonly string[]): PlannedLoad | undefined {
  const { load } = experiment;
  if (load === undefined) return undefined;
  if (load.in !== 'cluster') return localUrl === undefined ? undefined : { in: 'local', url: localUrl, spec: load };
  if (target !== 'kubernetes') {
    throw new UsageError(`load.in: cluster runs the load as a Kubernetes Job: there is no such thing on ${target}`, { hint: 'set targets: [kubernetes] in the experiment, or load.in: local for this target' });
  }
  const service = load.service?.name ?? (experiment.deploy !== undefined ? experiment.metadata.name : undefined);
  if (service === undefined) {
    throw new UsageError('load.in: cluster sends to the system\'s Service, and this experiment names none', { hint: 'name it in load.service, or deploy the system (deploy:), whose Service it then uses' });
  }
  const namespace = experiment.kubernetes.namespace;
  return {
    in: 'cluster',
    url: `http://${service}.${namespace}.svc${load.path ?? '/'}`,
    spec: load,
    startAtMs: load.startAfter ?? CLUSTER_LOAD_START_MS,
    avoidNodes: load.avoidFaultedNodes ? [...new Set(nodeFaultSubjects)] : [],
  };
}
