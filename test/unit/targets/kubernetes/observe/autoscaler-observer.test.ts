import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { AutoscalerObserver, autoscalerState, scalesOwner } from '../../../../../src/targets/kubernetes/observe/autoscaler-observer.js';
import type { TimelineEntry, TimelineWriter } from '../../../../../src/timeline/timeline.js';

// Hand-written autoscalers in the shape the API returns them (client-node turns times into Dates).
function autoscaler(status: Partial<NonNullable<V2HorizontalPodAutoscaler['status']>>, target = 'web'): V2HorizontalPodAutoscaler {
  return {
    metadata: { name: 'web', namespace: 'ns' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target },
      minReplicas: 2,
      maxReplicas: 6,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
    },
    status: { desiredReplicas: 2, currentReplicas: 2, ...status },
  };
}

const cpu = (percent: number) => [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: percent } } }];
const condition = (type: string, status: string, reason: string) => ({ type, status, reason, message: `${reason}!`, lastTransitionTime: new Date(0) });

function recorder(): TimelineWriter & { entries: TimelineEntry[] } {
  let now = 0;
  const entries: TimelineEntry[] = [];
  return { entries, now: () => (now += 100), fromWallClock: (epochMs) => epochMs, add: (entry) => entries.push(entry) };
}

describe('autoscaler observer', () => {
  it('knows which autoscalers scale the system', () => {
    expect(scalesOwner(autoscaler({}), [{ kind: 'Deployment', name: 'web' }])).toBe(true);
    expect(scalesOwner(autoscaler({}, 'other'), [{ kind: 'Deployment', name: 'web' }])).toBe(false);
    expect(scalesOwner(autoscaler({}), [{ kind: 'StatefulSet', name: 'web' }])).toBe(false);
  });

  it('reads desired, current, the CPU figure, the target and the three conditions', () => {
    const state = autoscalerState(
      autoscaler({
        desiredReplicas: 4,
        currentReplicas: 2,
        currentMetrics: cpu(180),
        lastScaleTime: new Date(Date.UTC(2026, 0, 1, 0, 0, 5)),
        conditions: [condition('AbleToScale', 'True', 'SucceededRescale'), condition('ScalingActive', 'True', 'ValidMetricFound'), condition('ScalingLimited', 'False', 'DesiredWithinRange'), condition('Other', 'True', 'x')],
      }) as V2HorizontalPodAutoscaler,
    );
    expect(state).toEqual({
      desired: 4,
      current: 2,
      min: 2,
      max: 6,
      cpuPercent: 180,
      targetCpuPercent: 50,
      lastScaleTime: Date.UTC(2026, 0, 1, 0, 0, 5),
      conditions: {
        AbleToScale: { status: 'True', reason: 'SucceededRescale', message: 'SucceededRescale!' },
        ScalingActive: { status: 'True', reason: 'ValidMetricFound', message: 'ValidMetricFound!' },
        ScalingLimited: { status: 'False', reason: 'DesiredWithinRange', message: 'DesiredWithinRange!' },
      },
    });
  });

  it('writes an entry only when the state changes (none before the controller looked), with the engine time of a new scale', () => {
    const timeline = recorder();
    const observer = new AutoscalerObserver(timeline, [{ kind: 'Deployment', name: 'web' }]);
    observer.seen(autoscaler({ desiredReplicas: 0, currentReplicas: 0 }));
    const first = autoscaler({ currentMetrics: cpu(10), lastScaleTime: new Date(1000), conditions: [condition('AbleToScale', 'True', 'SucceededGetScale')] });
    observer.seen(first);
    observer.seen(first);
    observer.seen(autoscaler({}, 'other'));
    observer.seen(autoscaler({ desiredReplicas: 4, currentMetrics: cpu(190), lastScaleTime: new Date(9000), conditions: [condition('AbleToScale', 'True', 'SucceededRescale')] }));
    observer.gone(first);
    expect(timeline.entries.map((entry) => [entry.kind, entry.subject, entry.engineTime])).toEqual([
      ['autoscaler', 'web', undefined],
      ['autoscaler', 'web', 9000],
      ['note', 'web', undefined],
    ]);
    expect(timeline.entries[1]).toMatchObject({ data: { desired: 4, current: 2, cpuPercent: 190 } });
  });
});
