import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { isOptedIn, LOAD_LABEL, OPT_IN_LABEL, OPT_IN_VALUE } from '../../common/labels.js';
import type { Instance, Selector } from '../target.js';

// What rebound reads from a pod, as pure functions of the API object (unit-tested on plain objects).

/** API timestamps arrive as Date objects (client-node deserializes them) or RFC 3339 strings. */
export function epochMs(value: Date | string | undefined | null): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

export function podName(pod: V1Pod): string {
  return pod.metadata?.name ?? '';
}

/** Deletion requested: the pod is going away, whatever its containers still do. */
export function isTerminating(pod: V1Pod): boolean {
  return pod.metadata?.deletionTimestamp !== undefined && pod.metadata?.deletionTimestamp !== null;
}

export function readyCondition(pod: V1Pod) {
  return pod.status?.conditions?.find((condition) => condition.type === 'Ready');
}

/** Ready as the API says (the Ready condition), and not terminating: what Services route to. */
export function isPodReady(pod: V1Pod): boolean {
  return !isTerminating(pod) && readyCondition(pod)?.status === 'True';
}

/** Phase Running and every container running now. */
export function isPodRunning(pod: V1Pod): boolean {
  if (isTerminating(pod) || pod.status?.phase !== 'Running') return false;
  const statuses = pod.status?.containerStatuses ?? [];
  return statuses.length > 0 && statuses.every((status) => status.state?.running !== undefined);
}

export function hasReadinessProbe(pod: V1Pod): boolean {
  return (pod.spec?.containers ?? []).some((container) => container.readinessProbe !== undefined);
}

/** The first container of the spec is the main one (the one `crash` kills). */
export function mainContainerStatus(pod: V1Pod): V1ContainerStatus | undefined {
  const main = pod.spec?.containers?.[0]?.name;
  return pod.status?.containerStatuses?.find((status) => status.name === main);
}

/** "web-*" → /^web-.*$/: `*` any run of characters, `?` one character. */
export function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/** `a=b,c=d`: the API's label selector for the selector's labels. */
export function labelSelectorOf(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

/** Does the pod belong to the system? Labels are matched by the API; the name glob here. A cluster load's own pods never do. */
export function podMatches(pod: V1Pod, selector: Selector): boolean {
  const labels = pod.metadata?.labels ?? {};
  if (labels[LOAD_LABEL] !== undefined) return false;
  if (!Object.entries(selector.labels).every(([key, value]) => labels[key] === value)) return false;
  return selector.name === undefined || globToRegExp(selector.name).test(podName(pod));
}

/** TCP ports the pod's containers declare (containerPort). */
export function declaredPorts(pod: V1Pod): number[] {
  return (pod.spec?.containers ?? []).flatMap((container) => (container.ports ?? []).filter((port) => (port.protocol ?? 'TCP') === 'TCP').map((port) => port.containerPort));
}

export function toInstance(pod: V1Pod): Instance {
  const labels = pod.metadata?.labels ?? {};
  const ports = declaredPorts(pod);
  return {
    id: pod.metadata?.uid ?? podName(pod),
    name: podName(pod),
    ...(pod.spec?.nodeName !== undefined && { host: pod.spec.nodeName }),
    createdAt: epochMs(pod.metadata?.creationTimestamp) ?? 0,
    running: isPodRunning(pod),
    ready: isPodReady(pod),
    labels,
    ...(pod.spec?.restartPolicy !== undefined && { restartPolicy: pod.spec.restartPolicy }),
    hasHealthcheck: hasReadinessProbe(pod),
    ...(ports.length > 0 && { ports }),
    // The planner treats a reason naming the opt-in label as overridable (--allow-unlabelled).
    ...(!isOptedIn(labels) && { protectedReason: `no opt-in label ${OPT_IN_LABEL}=${OPT_IN_VALUE} on the pod` }),
  };
}
