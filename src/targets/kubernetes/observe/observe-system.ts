import type { CoreV1Event, V1Node, V1Pod } from '@kubernetes/client-node';
import { errorMessage } from '../../../common/errors.js';
import type { TimelineWriter } from '../../../timeline/timeline.js';
import type { Observation, Selector } from '../../target.js';
import { clusterFacts, readClusterDelays } from '../cluster-facts.js';
import type { KubeApi } from '../kube-api.js';
import { apiMessage, statusOf } from '../kube-errors.js';
import { resolveOwners } from '../owners.js';
import { labelSelectorOf, podMatches } from '../pod-facts.js';
import { observeAutoscalers } from './autoscaler-observer.js';
import { EventObserver } from './event-observer.js';
import { NodeObserver } from './node-observer.js';
import { OwnerObserver } from './owner-observer.js';
import { PodObserver } from './pod-observer.js';
import { podPlacement } from './pod-placement.js';
import { RolloutObserver } from './rollout-observer.js';
import { replicaCounts, type ReplicaCounts, sameCounts } from './replica-counts.js';
import { type ResilientInformer, startInformer } from './resilient-informer.js';

/** client-go's resync idea: re-derive state from the caches now and then, whatever the watches said. */
const RESYNC_MS = 15_000;

/**
 * Watches (list + watch informers, never polling) on the system's pods, its owners, the nodes,
 * the namespace's Events and (when one scales the system) its HorizontalPodAutoscalers, all
 * written to the timeline, after which node holds which pod at the start. Nothing here throws into the run once it is
 * up: failures become notes and the watch is restarted.
 */
export async function observeSystem(api: KubeApi, selector: Selector, namespace: string, timeline: TimelineWriter, options: { desired: number }): Promise<Observation> {
  const observation = new SystemObservation(api, selector, namespace, timeline, options.desired);
  try {
    await observation.start();
  } catch (error) {
    await observation.stop();
    throw error;
  }
  return observation;
}

class SystemObservation implements Observation {
  private readonly stoppers: (() => Promise<void>)[] = [];
  private readonly podObserver: PodObserver;
  private owners = new OwnerObserver([]);
  private pods: ResilientInformer<V1Pod> | undefined;
  private last: ReplicaCounts | undefined;
  private resync: NodeJS.Timeout | undefined;
  private stopped: Promise<void> | undefined;
  private readonly startedAtWall = Date.now();

  constructor(
    private readonly api: KubeApi,
    private readonly selector: Selector,
    private readonly namespace: string,
    private readonly timeline: TimelineWriter,
    private readonly fallbackDesired: number,
  ) {
    this.podObserver = new PodObserver(selector, timeline, (engineTime) => this.recount(engineTime));
  }

  async start(): Promise<void> {
    await this.startPods();
    this.timeline.add({ t: this.timeline.now(), source: 'target', kind: 'placement', data: podPlacement(this.matchedPods()) });
    await this.startOwnersAndFacts();
    await this.startAutoscalers();
    this.recount();
    await this.startNodes();
    const { namespace } = this;
    const isAboutSystem = (name: string) => this.podObserver.names.has(name) || this.owners.names().includes(name);
    const eventObserver = new EventObserver(this.timeline, this.startedAtWall, isAboutSystem);
    const events = await startInformer<CoreV1Event>(`event ${namespace}`, this.api.config, `/api/v1/namespaces/${namespace}/events`, () => this.api.core.listNamespacedEvent({ namespace }), {
      add: (event) => eventObserver.add(event),
      update: (event) => eventObserver.update(event),
      delete: () => undefined,
      trouble: this.note,
    });
    this.stoppers.push(() => events.stop());
    this.resync = setInterval(() => this.recount(), RESYNC_MS);
    this.resync.unref();
  }

  stop(): Promise<void> {
    this.stopped ??= (async () => {
      clearInterval(this.resync);
      await Promise.allSettled(this.stoppers.map((stop) => stop()));
    })();
    return this.stopped;
  }

  private async startPods(): Promise<void> {
    const { namespace, podObserver } = this;
    const labelSelector = labelSelectorOf(this.selector.labels);
    const list = () => this.api.core.listNamespacedPod({ namespace, labelSelector });
    const handlers = { add: (pod: V1Pod) => podObserver.add(pod), update: (pod: V1Pod) => podObserver.update(pod), delete: (pod: V1Pod) => podObserver.delete(pod), trouble: this.note };
    const pods = await startInformer<V1Pod>(`pod ${namespace}`, this.api.config, `/api/v1/namespaces/${namespace}/pods`, list, handlers, labelSelector || undefined);
    this.pods = pods;
    this.stoppers.push(() => pods.stop());
    podObserver.started = true;
  }

  /** Node conditions; skipped (said so) when this identity may not list nodes, e.g. rebound as a Job with a namespace Role. */
  private async startNodes(): Promise<void> {
    const nodeObserver = new NodeObserver(this.timeline);
    // Asked once first: the informer reports a refused list as a watch failure and retries forever.
    try {
      await this.api.core.listNode({ limit: 1 });
    } catch (error) {
      if (statusOf(error) !== 403) throw error;
      this.note(`nodes are not observed: this identity may not list them (${apiMessage(error)}); only node faults need it`);
      return;
    }
    const nodes = await startInformer<V1Node>('node', this.api.config, '/api/v1/nodes', () => this.api.core.listNode(), {
      add: (node) => nodeObserver.add(node),
      update: (node) => nodeObserver.update(node),
      delete: (node) => nodeObserver.delete(node),
      trouble: this.note,
    });
    this.stoppers.push(() => nodes.stop());
  }

  private async startOwnersAndFacts(): Promise<void> {
    try {
      const matched = this.matchedPods();
      this.owners = new OwnerObserver(this.selector.owner ? [this.selector.owner] : await resolveOwners(this.api, this.namespace, matched));
      this.stoppers.push(() => this.owners.stop());
      await this.owners.start(this.api, this.namespace, () => this.recount(), this.note);
      const rollouts = new RolloutObserver(this.owners.owners.filter((owner) => owner.kind === 'Deployment').map((owner) => owner.name), this.timeline);
      this.stoppers.push(() => rollouts.stop());
      await rollouts.start(this.api, this.namespace, this.note);
      const { delays, problem } = await readClusterDelays(this.api, matched);
      for (const fact of clusterFacts(delays, problem)) this.timeline.add({ t: this.timeline.now(), source: 'target', kind: 'target-fact', data: fact });
    } catch (error) {
      this.note(`the owners or the cluster's delays could not be read: ${errorMessage(error)}; desired is taken as ${this.fallbackDesired}`);
    }
  }

  /** Only when a HorizontalPodAutoscaler scales one of the owners (observeAutoscalers decides). */
  private async startAutoscalers(): Promise<void> {
    try {
      const autoscalers = await observeAutoscalers(this.api, this.namespace, this.owners.owners, this.timeline, this.note);
      if (autoscalers) this.stoppers.push(() => autoscalers.stop());
    } catch (error) {
      this.note(`the HorizontalPodAutoscalers could not be watched: ${errorMessage(error)}`);
    }
  }

  private matchedPods(): V1Pod[] {
    return (this.pods?.list() ?? []).filter((pod) => podMatches(pod, this.selector));
  }

  /** Writes a replicas entry when desired, ready or running changed. */
  private recount(engineTime?: number): void {
    if (!this.pods) return;
    const counts = replicaCounts(this.matchedPods(), this.owners.desired() ?? this.fallbackDesired);
    if (sameCounts(this.last, counts)) return;
    this.last = counts;
    this.timeline.add({ t: this.timeline.now(), source: 'target', kind: 'replicas', ...(engineTime !== undefined && { engineTime }), data: counts });
  }

  private readonly note = (text: string): void => {
    this.timeline.add({ t: this.timeline.now(), source: 'target', kind: 'note', data: { text } });
  };
}
