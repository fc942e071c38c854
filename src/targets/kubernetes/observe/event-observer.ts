import type { CoreV1Event } from '@kubernetes/client-node';
import type { TimelineWriter } from '../../../timeline/timeline.js';
import { eventHappening } from './event-entry.js';

/** How far before the observers started an event may be and still count (API times are whole seconds). */
const EARLIEST_MS = 1000;

/**
 * The namespace's Events about the system's pods, ReplicaSets and owners, as instance-event
 * entries with action "event" and the Event's reason and message. Older events (the API keeps an
 * hour of them) and repeats already recorded are skipped.
 */
export class EventObserver {
  private readonly recorded = new Set<string>();

  constructor(
    private readonly timeline: TimelineWriter,
    private readonly startedAtWall: number,
    private readonly isAboutSystem: (name: string) => boolean,
  ) {}

  add(event: CoreV1Event): void {
    const happening = eventHappening(event);
    if (!this.isAboutSystem(happening.subject)) return;
    if (happening.engineTime !== undefined && happening.engineTime < this.startedAtWall - EARLIEST_MS) return;
    const key = `${event.metadata?.uid ?? event.metadata?.name}:${happening.count}`;
    if (this.recorded.has(key)) return;
    this.recorded.add(key);
    this.timeline.add({
      t: this.timeline.now(),
      source: 'target',
      kind: 'instance-event',
      subject: happening.subject,
      ...(happening.engineTime !== undefined && { engineTime: happening.engineTime }),
      data: {
        action: 'event',
        reason: happening.reason,
        message: happening.message,
        ...(happening.involvedKind !== undefined && { objectKind: happening.involvedKind }),
      },
    });
  }

  update(event: CoreV1Event): void {
    this.add(event);
  }
}
