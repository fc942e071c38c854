import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeApi } from '../kube-api.js';
import { type Owner, ownerKey } from '../owners.js';
import { type InformerHandlers, type ResilientInformer, startInformer } from './resilient-informer.js';

const RESOURCE: Record<Owner['kind'], string> = { Deployment: 'deployments', StatefulSet: 'statefulsets', ReplicaSet: 'replicasets' };

interface Scalable extends KubernetesObject {
  spec?: { replicas?: number };
}

/** Watches the owners' objects (one informer per kind) so desired follows their spec.replicas. */
export class OwnerObserver {
  private readonly informers = new Map<Owner['kind'], ResilientInformer<Scalable>>();

  constructor(readonly owners: readonly Owner[]) {}

  async start(api: KubeApi, namespace: string, onChange: () => void, trouble: (message: string) => void): Promise<void> {
    const names = new Set(this.owners.map(ownerKey));
    for (const kind of new Set(this.owners.map((owner) => owner.kind))) {
      const relevant = (object: Scalable) => {
        if (names.has(`${kind}/${object.metadata?.name}`)) onChange();
      };
      const handlers: InformerHandlers<Scalable> = { add: relevant, update: relevant, delete: relevant, trouble };
      const list = () => listOf(api, namespace, kind);
      this.informers.set(kind, await startInformer<Scalable>(`${kind} ${namespace}`, api.config, `/apis/apps/v1/namespaces/${namespace}/${RESOURCE[kind]}`, list, handlers));
    }
  }

  /** Sum of the owners' spec.replicas, or undefined when none of them is known. */
  desired(): number | undefined {
    let total: number | undefined;
    for (const owner of this.owners) {
      const object = this.informers.get(owner.kind)?.list().find((candidate) => candidate.metadata?.name === owner.name);
      if (object) total = (total ?? 0) + (object.spec?.replicas ?? 1);
    }
    return total;
  }

  /** Names of the owners, for picking their Events. */
  names(): string[] {
    return this.owners.map((owner) => owner.name);
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.informers.values()].map((informer) => informer.stop()));
  }
}

async function listOf(api: KubeApi, namespace: string, kind: Owner['kind']) {
  if (kind === 'Deployment') return api.apps.listNamespacedDeployment({ namespace });
  if (kind === 'StatefulSet') return api.apps.listNamespacedStatefulSet({ namespace });
  return api.apps.listNamespacedReplicaSet({ namespace });
}
