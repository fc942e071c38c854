import type { InstanceFaultRoute } from '../common/instance-fault-route.js';
import type { Experiment } from '../experiments/schema.js';
import { createTarget } from '../targets/create-target.js';
import type { Target, TargetKind } from '../targets/target.js';

export interface KubeOptions {
  kubeconfig?: string;
  context?: string;
  /** `--instance-faults`: beats the experiment's kubernetes.instanceFaults. */
  instanceFaults?: InstanceFaultRoute;
}

/** One checked target per kind for a whole command: created on first use, closed together. */
export class TargetCache {
  private readonly targets = new Map<TargetKind, Target>();

  constructor(private readonly kube: KubeOptions) {}

  async get(kind: TargetKind, experiment: Experiment): Promise<Target> {
    const known = this.targets.get(kind);
    if (known) return known;
    const context = this.kube.context ?? experiment.kubernetes.context;
    const instanceFaults = this.kube.instanceFaults ?? experiment.kubernetes.instanceFaults;
    const target = await createTarget(kind, {
      ...(this.kube.kubeconfig && { kubeconfig: this.kube.kubeconfig }),
      ...(context && { context }),
      allowSystemNamespaces: experiment.kubernetes.allowSystemNamespaces,
      ...(experiment.kubernetes.context && { experimentContext: experiment.kubernetes.context }),
      ...(instanceFaults && { instanceFaults }),
      ...(experiment.kubernetes.helperImage && { helperImage: experiment.kubernetes.helperImage }),
    });
    await target.check();
    this.targets.set(kind, target);
    return target;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.targets.values()].map((target) => target.close()));
    this.targets.clear();
  }
}
