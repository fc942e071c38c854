import type { InstanceFaultRoute } from '../../../common/instance-fault-route.js';
import type { ImplementationsOn, ImplementedOn } from '../../../faults/index.js';
import type { Selector } from '../../target.js';
import type { KindNodes } from '../kind/kind-nodes.js';
import type { KubeApi } from '../kube-api.js';

/** What undoing a Kubernetes fault needs: the API and the kind nodes (Docker). Records carry the rest. */
export interface KubernetesUndoContext {
  api: KubeApi;
  kindNodes: KindNodes;
}

/** How instance faults reach a pod's processes (`kubernetes.instanceFaults`, `--instance-faults`). */
export interface InstanceFaultSettings {
  route: InstanceFaultRoute;
  /** The ephemeral helper's image when the experiment names one (`kubernetes.helperImage`). */
  helperImage?: string;
}

/** What injecting one needs besides: where it acts, and by which route. */
export interface KubernetesFaultContext extends KubernetesUndoContext {
  namespace: string;
  selector: Selector;
  instanceFaults: InstanceFaultSettings;
}

export type KubernetesFaults = ImplementationsOn<'kubernetes', KubernetesFaultContext, KubernetesUndoContext>;

/** The implementation of one Kubernetes fault, typed from its module. */
export type KubernetesFault<K extends ImplementedOn<'kubernetes'>> = KubernetesFaults[K];
