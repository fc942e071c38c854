import type { V1Pod } from '@kubernetes/client-node';
import type { TimelineWriter } from '../../../timeline/timeline.js';
import type { Selector } from '../../target.js';
import { epochMs, hasReadinessProbe, isPodReady, isPodRunning, podMatches, podName } from '../pod-facts.js';
import { deletionRequestedAt, type PodChange, podChanges, type PodSnapshot, snapshotOf, UNSEEN_POD } from './pod-changes.js';

/**
 * Turns the pod watch into timeline entries: instance-seen for each pod (at start, or when it is
 * created), instance-event for each change (see pod-changes.ts for the engine timestamps).
 */
export class PodObserver {
  private readonly snapshots = new Map<string, PodSnapshot>();
  /** Every pod and ReplicaSet name seen, so events about them can be picked out. */
  readonly names = new Set<string>();
  /** Pods seen after this are new: their creation and everything since goes to the timeline. */
  started = false;

  constructor(
    private readonly selector: Selector,
    private readonly timeline: TimelineWriter,
    private readonly onChange: (engineTime?: number) => void,
  ) {}

  add(pod: V1Pod): void {
    if (!podMatches(pod, this.selector)) return;
    const key = keyOf(pod);
    if (this.snapshots.has(key)) return this.update(pod);
    this.names.add(podName(pod));
    for (const reference of pod.metadata?.ownerReferences ?? []) this.names.add(reference.name);
    this.timeline.add({
      t: this.timeline.now(),
      source: 'target',
      kind: 'instance-seen',
      subject: podName(pod),
      ...withEngineTime(epochMs(pod.metadata?.creationTimestamp)),
      data: {
        id: key,
        name: podName(pod),
        ...(pod.spec?.nodeName !== undefined && { host: pod.spec.nodeName }),
        ...(pod.spec?.restartPolicy !== undefined && { restartPolicy: pod.spec.restartPolicy }),
        hasHealthcheck: hasReadinessProbe(pod),
        running: isPodRunning(pod),
        ready: isPodReady(pod),
      },
    });
    if (this.started) {
      this.record(pod, { action: 'create', ...withEngineTime(epochMs(pod.metadata?.creationTimestamp)) });
      this.apply(pod, UNSEEN_POD);
    } else {
      this.snapshots.set(key, snapshotOf(pod));
    }
  }

  update(pod: V1Pod): void {
    if (!podMatches(pod, this.selector)) return;
    const before = this.snapshots.get(keyOf(pod));
    if (before === undefined) return this.add(pod);
    this.apply(pod, before);
  }

  delete(pod: V1Pod): void {
    if (!this.snapshots.delete(keyOf(pod))) return;
    this.record(pod, { action: 'deleted', ...withEngineTime(deletionRequestedAt(pod)), ...(pod.spec?.nodeName && { node: pod.spec.nodeName }) });
    this.onChange(deletionRequestedAt(pod));
  }

  private apply(pod: V1Pod, before: PodSnapshot): void {
    const changes = podChanges(before, pod);
    this.snapshots.set(keyOf(pod), snapshotOf(pod));
    for (const change of changes) this.record(pod, change);
    if (changes.length > 0) this.onChange(changes.at(-1)?.engineTime);
  }

  private record(pod: V1Pod, change: PodChange): void {
    const { engineTime, ...data } = change;
    this.timeline.add({
      t: this.timeline.now(),
      source: 'target',
      kind: 'instance-event',
      subject: podName(pod),
      ...withEngineTime(engineTime),
      data: { ...data, id: keyOf(pod) },
    });
  }
}

function keyOf(pod: V1Pod): string {
  return pod.metadata?.uid ?? podName(pod);
}

function withEngineTime(engineTime: number | undefined): { engineTime?: number } {
  return engineTime === undefined ? {} : { engineTime };
}
