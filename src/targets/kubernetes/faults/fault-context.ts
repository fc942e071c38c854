import type { ImplementationsOn, ImplementedOn } from '../../../faults/index.js';
import type { Selector } from '../../target.js';
import type { KindNodes } from '../kind/kind-nodes.js';
import type { KubeApi } from '../kube-api.js';

/** What undoing a Kubernetes fault needs: the API and the kind nodes (Docker). Records carry the rest. */
export interface KubernetesUndoContext {
  api: KubeApi;
  kindNodes: KindNodes;
}

/** What injecting one needs besides: where it acts. */
export interface KubernetesFaultContext extends KubernetesUndoContext {
  namespace: string;
  selector: Selector;
}

export type KubernetesFaults = ImplementationsOn<'kubernetes', KubernetesFaultContext, KubernetesUndoContext>;

/** The implementation of one Kubernetes fault, typed from its module. */
export type KubernetesFault<K extends ImplementedOn<'kubernetes'>> = KubernetesFaults[K];
