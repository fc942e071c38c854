import { describe, expect, it } from 'vitest';
import { autoscalerFacts, durationFlag } from '../../../../src/targets/kubernetes/autoscaler-facts.js';

describe('autoscaler facts', () => {
  it('reads a duration flag in either form, from command or args', () => {
    const container = (command: string[], args: string[] = []) => ({ name: 'c', command, args });
    expect(durationFlag(container(['kube-controller-manager', '--horizontal-pod-autoscaler-sync-period=5s']), 'horizontal-pod-autoscaler-sync-period')).toBe(5000);
    expect(durationFlag(container(['/metrics-server'], ['--metric-resolution', '10s']), 'metric-resolution')).toBe(10_000);
    expect(durationFlag(container(['kube-controller-manager', '--horizontal-pod-autoscaler-downscale-stabilization=1m0s']), 'horizontal-pod-autoscaler-downscale-stabilization')).toBe(60_000);
    // A flag whose name only starts the same is another flag.
    expect(durationFlag(container(['x', '--metric-resolution-extra=3s']), 'metric-resolution')).toBeUndefined();
    expect(durationFlag(undefined, 'metric-resolution')).toBeUndefined();
  });

  it('states each timer with the flag it comes from, or why it is unknown', () => {
    expect(autoscalerFacts({ syncPeriodMs: 5000, downscaleStabilizationMs: 60_000, metricResolutionMs: 10_000 }, [])).toEqual([
      { key: 'hpaSyncPeriodMs', value: 5000, explanation: 'the HorizontalPodAutoscaler reconciles every 5.00 s (kube-controller-manager --horizontal-pod-autoscaler-sync-period)' },
      { key: 'hpaDownscaleStabilizationMs', value: 60_000, explanation: 'it scales down only to the highest recommendation of the last 1 m 00 s (--horizontal-pod-autoscaler-downscale-stabilization)' },
      { key: 'metricResolutionMs', value: 10_000, explanation: 'metrics-server takes a CPU figure of every pod every 10.00 s (--metric-resolution)' },
    ]);
    const [, , resolution] = autoscalerFacts({ syncPeriodMs: 15_000, downscaleStabilizationMs: 300_000 }, ['no metrics-server Deployment in kube-system']);
    expect(resolution).toEqual({ key: 'metricResolutionMs', value: 'unknown', explanation: 'no metrics-server Deployment in kube-system' });
  });
});
