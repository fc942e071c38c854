import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { clusterFacts, evictionDelayMs, gracePeriodFlag, parseGoDuration, tolerationMs } from '../../../../src/targets/kubernetes/cluster-facts.js';

describe('cluster facts', () => {
  it('parses Go durations', () => {
    expect(parseGoDuration('20s')).toBe(20_000);
    expect(parseGoDuration('1m0s')).toBe(60_000);
    expect(parseGoDuration('500ms')).toBe(500);
    expect(parseGoDuration('1h2m3.5s')).toBe(3_723_500);
    expect(parseGoDuration('20')).toBeUndefined();
    expect(parseGoDuration('20s junk')).toBeUndefined();
  });

  it('reads --node-monitor-grace-period from kube-controller-manager, in either flag form', () => {
    const manager = (words: string[]) => ({ spec: { containers: [{ name: 'kcm', command: ['kube-controller-manager', ...words] }] } }) as V1Pod;
    expect(gracePeriodFlag(manager(['--leader-elect=true', '--node-monitor-grace-period=20s']))).toBe(20_000);
    expect(gracePeriodFlag(manager(['--node-monitor-grace-period', '40s']))).toBe(40_000);
    expect(gracePeriodFlag(manager(['--leader-elect=true']))).toBeUndefined();
  });

  it('takes the smallest NoExecute tolerationSeconds for a taint', () => {
    const withToleration = (seconds: number) => ({ spec: { containers: [], tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds }] } }) as V1Pod;
    expect(tolerationMs([withToleration(300), withToleration(30)], 'node.kubernetes.io/unreachable')).toBe(30_000);
    expect(tolerationMs([withToleration(300)], 'node.kubernetes.io/not-ready')).toBeUndefined();
  });

  it('explains the eviction delay with the real numbers', () => {
    const delays = { nodeMonitorGracePeriodMs: 20_000, notReadyTolerationMs: 300_000, unreachableTolerationMs: 300_000 };
    expect(evictionDelayMs(delays)).toBe(320_000);
    const facts = clusterFacts(delays);
    expect(facts.map((fact) => fact.key)).toEqual(['nodeMonitorGracePeriodMs', 'notReadyTolerationMs', 'unreachableTolerationMs', 'podEvictionDelayMs']);
    expect(facts.at(-1)!.explanation).toMatch(/5 m 20 s: 20.00 s until the node is NotReady .* 5 m 00 s of the pods' tolerationSeconds/);
    expect(clusterFacts({}, 'cannot read it')[0]).toEqual({ key: 'nodeMonitorGracePeriodMs', value: 'unknown', explanation: 'cannot read it' });
  });
});
