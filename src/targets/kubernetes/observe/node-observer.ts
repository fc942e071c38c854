import type { V1Node } from '@kubernetes/client-node';
import type { TimelineWriter } from '../../../timeline/timeline.js';
import { nodeName, nodeState } from '../node-facts.js';

/** One `node` entry per node at start, then one whenever Ready or schedulable changes. */
export class NodeObserver {
  private readonly last = new Map<string, { ready: boolean; schedulable: boolean }>();

  constructor(private readonly timeline: TimelineWriter) {}

  add(node: V1Node): void {
    this.update(node);
  }

  update(node: V1Node): void {
    const name = nodeName(node);
    const { engineTime, ...state } = nodeState(node);
    const before = this.last.get(name);
    if (before && before.ready === state.ready && before.schedulable === state.schedulable) return;
    this.last.set(name, { ready: state.ready, schedulable: state.schedulable });
    this.timeline.add({
      t: this.timeline.now(),
      source: 'target',
      kind: 'node',
      subject: name,
      // The Ready transition time only means something when readiness is what changed.
      ...(engineTime !== undefined && before?.ready !== state.ready && { engineTime }),
      data: state,
    });
  }

  delete(node: V1Node): void {
    this.last.delete(nodeName(node));
    this.timeline.add({ t: this.timeline.now(), source: 'target', kind: 'note', subject: nodeName(node), data: { text: `node ${nodeName(node)} was removed from the cluster` } });
  }
}
