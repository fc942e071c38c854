import { isDeepStrictEqual } from 'node:util';
import type { V1Deployment, V1ReplicaSet } from '@kubernetes/client-node';
import type { RolloutEntry, TimelineWriter } from '../../../timeline/timeline.js';
import type { KubeApi } from '../kube-api.js';
import { progressingUpdatedAt, rolloutState } from '../rollout-facts.js';
import { type ResilientInformer, startInformer } from './resilient-informer.js';

/**
 * Watches the system's Deployments and the namespace's ReplicaSets and writes a `rollout` entry
 * whenever a Deployment's rollout changes: its counts, its Progressing / Available conditions, the
 * sizes of its old and new ReplicaSets. The first entry is the state when observation starts.
 */
export class RolloutObserver {
  private deployments: ResilientInformer<V1Deployment> | undefined;
  private replicaSets: ResilientInformer<V1ReplicaSet> | undefined;
  private readonly last = new Map<string, RolloutEntry['data']>();

  constructor(
    private readonly names: readonly string[],
    private readonly timeline: TimelineWriter,
  ) {}

  async start(api: KubeApi, namespace: string, trouble: (message: string) => void): Promise<void> {
    if (this.names.length === 0) return;
    const changed = () => this.write();
    const handlers = { add: changed, update: changed, delete: changed, trouble };
    this.replicaSets = await startInformer<V1ReplicaSet>(`ReplicaSet ${namespace}`, api.config, `/apis/apps/v1/namespaces/${namespace}/replicasets`, () => api.apps.listNamespacedReplicaSet({ namespace }), handlers);
    this.deployments = await startInformer<V1Deployment>(`Deployment rollout ${namespace}`, api.config, `/apis/apps/v1/namespaces/${namespace}/deployments`, () => api.apps.listNamespacedDeployment({ namespace }), handlers);
    this.write();
  }

  private write(): void {
    if (!this.deployments || !this.replicaSets) return;
    const replicaSets = this.replicaSets.list();
    for (const deployment of this.deployments.list()) {
      const name = deployment.metadata?.name ?? '';
      if (!this.names.includes(name)) continue;
      const data = rolloutState(deployment, replicaSets);
      const before = this.last.get(name);
      if (before !== undefined && isDeepStrictEqual(before, data)) continue;
      this.last.set(name, data);
      // The engine's time only when the Progressing condition itself changed (its lastUpdateTime).
      const engineTime = before?.progressing?.reason !== data.progressing?.reason ? progressingUpdatedAt(deployment) : undefined;
      this.timeline.add({ t: this.timeline.now(), source: 'target', kind: 'rollout', subject: name, ...(engineTime !== undefined && { engineTime }), data });
    }
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.deployments?.stop(), this.replicaSets?.stop()]);
  }
}
