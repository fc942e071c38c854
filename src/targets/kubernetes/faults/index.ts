import { crashContainers } from './crash-containers.js';
import { drainNode } from './drain-node.js';
import { failNode } from './fail-node.js';
import type { KubernetesFaults } from './fault-context.js';
import { deletePods } from './kill-pods.js';
import { oomPods } from './oom-pods.js';
import { resizePods } from './resize-pods.js';
import { rollDeployment } from './roll-deployment.js';
import { networkFaultOnPods } from './network-pods.js';
import { partitionNode } from './partition-node.js';
import { scaleOwner } from './scale-owner.js';
import { cpuStressPods, memoryStressPods } from './stress-pods.js';

export type { InstanceFaultSettings, KubernetesFaultContext, KubernetesUndoContext } from './fault-context.js';

/** What each fault does on Kubernetes: one entry for every fault the catalog says Kubernetes supports. */
export const kubernetesFaults = {
  kill: deletePods((params: { gracePeriod: number }) => params.gracePeriod),
  stop: deletePods((params: { timeout: number }) => params.timeout),
  remove: deletePods(() => 0),
  crash: crashContainers,
  'drain-node': drainNode,
  'fail-node': failNode,
  scale: scaleOwner,
  'cpu-stress': cpuStressPods,
  'memory-stress': memoryStressPods,
  oom: oomPods,
  squeeze: resizePods,
  rollout: rollDeployment,
  'network-delay': networkFaultOnPods('network-delay'),
  'network-loss': networkFaultOnPods('network-loss'),
  'network-bandwidth': networkFaultOnPods('network-bandwidth'),
  partition: networkFaultOnPods('partition'),
  'connection-fault': networkFaultOnPods('connection-fault'),
  'network-corrupt': networkFaultOnPods('network-corrupt'),
  'network-duplicate': networkFaultOnPods('network-duplicate'),
  'partition-node': partitionNode,
} satisfies KubernetesFaults;
