import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { errorMessage } from '../../../common/errors.js';
import type { AutoscalerEntry, TimelineWriter } from '../../../timeline/timeline.js';
import { autoscalerFacts, readAutoscalerTimers } from '../autoscaler-facts.js';
import type { KubeApi } from '../kube-api.js';
import { type Owner, ownerKey } from '../owners.js';
import { type ResilientInformer, startInformer } from './resilient-informer.js';

/** The conditions the autoscaler controller sets (pkg/controller/podautoscaler/horizontal.go). */
const CONDITIONS = ['AbleToScale', 'ScalingActive', 'ScalingLimited'];

/** True when the autoscaler scales one of the system's owners. */
export function scalesOwner(autoscaler: V2HorizontalPodAutoscaler, owners: readonly Owner[]): boolean {
  const target = autoscaler.spec?.scaleTargetRef;
  return target !== undefined && owners.some((owner) => ownerKey(owner) === `${target.kind}/${target.name}`);
}

/** The autoscaler's status as a timeline entry's data. */
export function autoscalerState(autoscaler: V2HorizontalPodAutoscaler): AutoscalerEntry['data'] {
  const { spec, status } = autoscaler;
  const cpuMetric = spec?.metrics?.find((metric) => metric.type === 'Resource' && metric.resource?.name === 'cpu');
  const cpuNow = status?.currentMetrics?.find((metric) => metric.type === 'Resource' && metric.resource?.name === 'cpu');
  const conditions: AutoscalerEntry['data']['conditions'] = {};
  for (const condition of status?.conditions ?? []) {
    if (!CONDITIONS.includes(condition.type)) continue;
    conditions[condition.type] = { status: condition.status, ...(condition.reason && { reason: condition.reason }), ...(condition.message && { message: condition.message }) };
  }
  const cpuPercent = cpuNow?.resource?.current.averageUtilization;
  const targetCpuPercent = cpuMetric?.resource?.target.averageUtilization;
  const lastScaleTime = status?.lastScaleTime === undefined ? undefined : new Date(status.lastScaleTime).getTime();
  return {
    desired: status?.desiredReplicas ?? 0,
    current: status?.currentReplicas ?? 0,
    min: spec?.minReplicas ?? 1,
    max: spec?.maxReplicas ?? 0,
    ...(cpuPercent !== undefined && { cpuPercent }),
    ...(targetCpuPercent !== undefined && { targetCpuPercent }),
    ...(lastScaleTime !== undefined && Number.isFinite(lastScaleTime) && { lastScaleTime }),
    conditions,
  };
}

/** Writes an autoscaler entry for each autoscaler of the system whenever its state changes. */
export class AutoscalerObserver {
  /** Per autoscaler: its last state written, as JSON, and its lastScaleTime then. */
  private readonly last = new Map<string, { state: string; lastScaleTime: number | undefined }>();

  constructor(
    private readonly timeline: TimelineWriter,
    private readonly owners: readonly Owner[],
  ) {}

  seen(autoscaler: V2HorizontalPodAutoscaler): void {
    // Just created, the controller has not looked at it yet: its status is all zeros, no state to report.
    if (!scalesOwner(autoscaler, this.owners) || (autoscaler.status?.conditions ?? []).length === 0) return;
    const name = autoscaler.metadata?.name ?? '?';
    const data = autoscalerState(autoscaler);
    const state = JSON.stringify(data);
    const before = this.last.get(name);
    if (before?.state === state) return;
    this.last.set(name, { state, lastScaleTime: data.lastScaleTime });
    // A new lastScaleTime is the controller's own time of the scale this entry reports.
    const scaled = before !== undefined && data.lastScaleTime !== undefined && data.lastScaleTime !== before.lastScaleTime;
    this.timeline.add({ t: this.timeline.now(), source: 'target', kind: 'autoscaler', subject: name, ...(scaled && { engineTime: data.lastScaleTime }), data });
  }

  gone(autoscaler: V2HorizontalPodAutoscaler): void {
    if (!scalesOwner(autoscaler, this.owners)) return;
    const name = autoscaler.metadata?.name ?? '?';
    this.last.delete(name);
    this.timeline.add({ t: this.timeline.now(), source: 'target', kind: 'note', subject: name, data: { text: `HorizontalPodAutoscaler ${name} was deleted` } });
  }
}

/**
 * When an autoscaler in the namespace scales one of the system's owners: the autoscaler timers as
 * facts, and a watch on the namespace's autoscalers. Without one: nothing is started (undefined).
 */
export async function observeAutoscalers(
  api: KubeApi,
  namespace: string,
  owners: readonly Owner[],
  timeline: TimelineWriter,
  note: (text: string) => void,
): Promise<ResilientInformer<V2HorizontalPodAutoscaler> | undefined> {
  const list = () => api.autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace });
  let found: V2HorizontalPodAutoscaler[];
  try {
    found = (await list()).items.filter((autoscaler) => scalesOwner(autoscaler, owners));
  } catch (error) {
    note(`the HorizontalPodAutoscalers of namespace ${namespace} could not be listed: ${errorMessage(error)}; autoscaling is not observed`);
    return undefined;
  }
  if (found.length === 0) return undefined;
  const { timers, problems } = await readAutoscalerTimers(api);
  for (const fact of autoscalerFacts(timers, problems)) timeline.add({ t: timeline.now(), source: 'target', kind: 'target-fact', data: fact });
  const observer = new AutoscalerObserver(timeline, owners);
  return startInformer<V2HorizontalPodAutoscaler>(`HorizontalPodAutoscaler ${namespace}`, api.config, `/apis/autoscaling/v2/namespaces/${namespace}/horizontalpodautoscalers`, list, {
    add: (autoscaler) => observer.seen(autoscaler),
    update: (autoscaler) => observer.seen(autoscaler),
    delete: (autoscaler) => observer.gone(autoscaler),
    trouble: note,
  });
}
