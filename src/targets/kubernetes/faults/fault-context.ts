import type { TimelineWriter } from '../../../timeline/timeline.js';
import type { FaultHandle, PlannedFault, Selector } from '../../target.js';
import type { KindNodes } from '../kind/kind-nodes.js';
import type { KubeApi } from '../kube-api.js';

/** What a Kubernetes fault needs: the API, the kind nodes (Docker) and where it acts. */
export interface FaultContext {
  api: KubeApi;
  kindNodes: KindNodes;
  namespace: string;
  selector: Selector;
  timeline: TimelineWriter;
  /** Aborted when the run is interrupted: long injections (drain) stop and are undone. */
  signal?: AbortSignal;
}

export type InjectFault = (fault: PlannedFault, context: FaultContext) => Promise<FaultHandle>;

/** A rollback that runs once: later calls return the first call's outcome. */
export function once<T>(action: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= action());
}
