import type { CoreV1Event } from '@kubernetes/client-node';
import { epochMs } from '../pod-facts.js';

export interface EventHappening {
  subject: string;
  reason: string;
  message: string;
  type?: string;
  involvedKind?: string;
  count: number;
  engineTime?: number;
}

/**
 * A core/v1 Event as a timeline happening. Its time: eventTime (metav1.MicroTime, microseconds;
 * set by events.k8s.io/v1 clients such as the scheduler), else lastTimestamp / firstTimestamp
 * (metav1.Time, whole seconds; set by the kubelet and the controllers through the old API).
 */
export function eventHappening(event: CoreV1Event): EventHappening {
  const engineTime = epochMs(event.eventTime as Date | string | undefined) ?? epochMs(event.lastTimestamp) ?? epochMs(event.firstTimestamp) ?? epochMs(event.metadata?.creationTimestamp);
  return {
    subject: event.involvedObject?.name ?? '',
    reason: event.reason ?? '',
    message: (event.message ?? '').trim(),
    ...(event.type !== undefined && { type: event.type }),
    ...(event.involvedObject?.kind !== undefined && { involvedKind: event.involvedObject.kind }),
    count: event.series?.count ?? event.count ?? 1,
    ...(engineTime !== undefined && { engineTime }),
  };
}
