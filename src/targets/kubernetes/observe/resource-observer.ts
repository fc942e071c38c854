import { errorMessage } from '../../../common/errors.js';
import { resourceSampleData } from '../../fault-tools/index.js';
import type { TimelineWriter } from '../../../timeline/timeline.js';
import type { Observation } from '../../target.js';
import type { KindNode, KindNodes } from '../kind/kind-nodes.js';
import { type SampledPod, startPodResourceSampler } from '../kind/pod-resource-sampler.js';
import type { KubeApi } from '../kube-api.js';
import { mainContainerStatus } from '../pod-facts.js';

/** As on Docker: twice a second. */
const RESOURCE_SAMPLE_MS = 500;

/**
 * Samples the named pods' container cgroups into resource-sample entries, through their kind nodes
 * (one sampling loop per node, for the whole run). A pod whose node is not a kind node on this
 * engine, or that has no running container at the start, is said in a note and not sampled.
 */
export async function observePodResources(api: KubeApi, kindNodes: KindNodes, namespace: string, pods: readonly string[], writer: TimelineWriter, forMs: number): Promise<Observation> {
  const note = (text: string) => writer.add({ t: writer.now(), source: 'target', kind: 'note', data: { text } });
  const byNode = new Map<string, { node: KindNode; pods: SampledPod[] }>();
  for (const name of pods) {
    try {
      const pod = await api.core.readNamespacedPod({ name, namespace });
      const containerId = mainContainerStatus(pod)?.containerID?.replace(/^[a-z]+:\/\//, '');
      const nodeName = pod.spec?.nodeName;
      if (!containerId || !nodeName) {
        note(`no resource samples of pod ${name}: it has no running container yet`);
        continue;
      }
      const node = await kindNodes.find(nodeName);
      if ('missing' in node) {
        note(`no resource samples of pod ${name}: ${node.missing} (they are read in its kind node)`);
        continue;
      }
      const entry = byNode.get(nodeName) ?? { node, pods: [] };
      entry.pods.push({ pod: name, containerId });
      byNode.set(nodeName, entry);
    } catch (error) {
      note(`no resource samples of pod ${name}: ${errorMessage(error)}`);
    }
  }
  const samplers = [...byNode.values()].map(({ node, pods: sampled }) =>
    startPodResourceSampler(node, sampled, {
      intervalMs: RESOURCE_SAMPLE_MS,
      forMs,
      onTrouble: note,
      onSample: ({ pod, epochMs, reading }) =>
        writer.add({
          t: writer.fromWallClock(epochMs),
          source: 'target',
          kind: 'resource-sample',
          subject: pod,
          engineTime: epochMs,
          data: resourceSampleData(reading),
        }),
    }),
  );
  return { stop: async () => void (await Promise.all(samplers.map((sampler) => sampler.stop()))) };
}
