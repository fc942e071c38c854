import type { V1Pod } from '@kubernetes/client-node';
import { type CgroupReading, cgroupFilesScript, parseCgroupFiles, parseFileBlocks, parseProcessFacts, shellQuote } from '../../fault-tools/index.js';
import type { KindNode } from '../kind/kind-nodes.js';
import { kubeCall } from '../kube-errors.js';
import { mainContainerStatus } from '../pod-facts.js';
import type { KubernetesFaultContext } from './fault-context.js';

/** A pod's main container as its kind node sees it: the process, its cgroup's limits. */
export interface PodProcess {
  pod: string;
  container: string;
  containerId: string;
  restartCount: number;
  node: KindNode;
  /** In the node's PID namespace. */
  pid: number;
  oomScoreAdj: number;
  startTime: string;
  cgroup: CgroupReading;
  spec: V1Pod;
}

/**
 * Reads the running main container of a pod and, in one `docker exec` into its kind node, its
 * process (crictl inspect → pid; oom_score_adj, start time) and its cgroup files. `what` names the
 * fault for the error when the node is not a kind node on this engine (exit 3).
 */
export async function podProcess(name: string, context: KubernetesFaultContext, what: string): Promise<PodProcess> {
  const pod = await kubeCall(`reading pod ${name}`, context.api.server, () => context.api.core.readNamespacedPod({ name, namespace: context.namespace }));
  const status = mainContainerStatus(pod);
  const containerId = status?.containerID?.replace(/^[a-z]+:\/\//, '');
  const nodeName = pod.spec?.nodeName;
  if (!status || !containerId || !nodeName || status.state?.running === undefined) {
    throw new Error(`pod ${name} has no running main container (state: ${JSON.stringify(status?.state ?? 'none')})`);
  }
  const node = await context.kindNodes.require(nodeName, what);
  const script = [
    `pid=$(crictl inspect -o go-template --template '{{.info.pid}}' ${shellQuote(containerId)}) || exit 3`,
    'echo "#file process"',
    // The stat fields after the command name (which may hold spaces and parentheses).
    `read -r adj < /proc/$pid/oom_score_adj && echo "$pid $adj $(awk '{ sub(/.*\\) /, ""); print }' /proc/$pid/stat)"`,
    cgroupFilesScript('pid'),
  ].join('\n');
  const result = await context.kindNodes.execScript(node, script);
  const files = parseFileBlocks(result.stdout);
  const [pid, ...facts] = (files.process ?? '').split(/\s+/);
  const process = parseProcessFacts(facts.join(' '));
  const cgroup = parseCgroupFiles(files);
  if (result.exitCode !== 0 || !process || !cgroup || !(Number(pid) > 1)) {
    throw new Error(`the process of pod ${name} (container ${containerId.slice(0, 12)}) could not be read in node ${nodeName}: exit ${result.exitCode} ${result.stderr.trim()}`);
  }
  return { pod: name, container: status.name, containerId, restartCount: status.restartCount, node, pid: Number(pid), ...process, cgroup, spec: pod };
}
