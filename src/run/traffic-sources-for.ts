import { EnvironmentError } from '../common/errors.js';
import { defaultReboundImage } from '../common/rebound-image.js';
import { trafficSources } from '../probes/traffic-sources.js';
import type { TrafficSources } from '../probes/traffic.js';
import type { Journal } from '../safety/journal.js';
import type { Selector, Target } from '../targets/target.js';

export interface RunIdentity {
  /** The journal's run id (labels the cluster load, so recover finds it). */
  runId: string;
  experiment: string;
  selector: Selector;
  journal?: Journal;
}

/**
 * The probe and load of one run: the local ones, and for `load.in: cluster` the target's cluster
 * load, journalled like a fault (before its Job exists, and once it is gone) so that `rebound
 * recover` removes the Job of a run killed with -9.
 */
export function trafficSourcesFor(target: Target, run: RunIdentity): TrafficSources {
  return {
    startProbe: trafficSources.startProbe,
    startLoad(request, writer) {
      if (request.spec.in !== 'cluster') return trafficSources.startLoad(request, writer);
      if (target.startClusterLoad === undefined) throw new EnvironmentError(`load.in: cluster needs a Kubernetes target, not ${target.kind}`);
      const { journal } = run;
      const faultId = `cluster-load-${run.runId}`;
      return target.startClusterLoad(
        {
          ...request,
          image: request.spec.image ?? defaultReboundImage(),
          runId: run.runId,
          experiment: run.experiment,
          selector: run.selector,
          ...(journal && {
            onCreated: (undo, description) => journal.append({ type: 'fault', runId: journal.runId, faultId, description, undo, at: new Date().toISOString() }),
            onRemoved: (outcome) =>
              journal.append({ type: 'undone', runId: journal.runId, faultId, ok: outcome.ok, action: outcome.action, ...(outcome.error !== undefined && { error: outcome.error }), at: new Date().toISOString() }),
          }),
        },
        writer,
      );
    },
  };
}
