import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { LOAD_CONTAINER, loadJobManifest } from '../../../../../src/targets/kubernetes/load/load-job-manifest.js';
import { podTrouble } from '../../../../../src/targets/kubernetes/load/pod-trouble.js';

const labels = { 'app.kubernetes.io/managed-by': 'rebound', 'rebound.dev/load': 'web', 'rebound.dev/run': 'run-1' };
const job = (avoidNodes: string[] = []) =>
  loadJobManifest({
    name: 'rebound-load-web-abc123',
    namespace: 'shop',
    image: 'rebound/rebound:0.1.0',
    url: 'http://web.shop.svc:80/',
    spec: { profile: 'constant', rate: 400, duration: 15_000, connections: 50, timeout: 2000, in: 'cluster', workers: 4, startAfter: 8000, service: { name: 'web' } },
    workers: 4,
    startAtEpochMs: 1_000_008_000,
    nowEpochMs: 1_000_000_500,
    labels,
    avoidNodes,
  });

describe('the cluster load Job', () => {
  it('is one Indexed Job: N pods at once, no retries, ending by itself', () => {
    const { spec } = job();
    expect(spec).toMatchObject({ completionMode: 'Indexed', completions: 4, parallelism: 4, backoffLimit: 0, ttlSecondsAfterFinished: 120 });
    // 7.5 s until the start + 15 s of load + 2 s timeout, rounded up, + 30 s of margin.
    expect(spec!.activeDeadlineSeconds).toBe(25 + 30);
    expect(spec!.template.spec).toMatchObject({ restartPolicy: 'Never', automountServiceAccountToken: false, enableServiceLinks: false });
    expect(spec!.template.metadata!.labels).toEqual(labels);
  });

  it('runs the hidden load-worker with the spec the worker needs, the start instant and the share', () => {
    const container = job().spec!.template.spec!.containers[0]!;
    expect(container.name).toBe(LOAD_CONTAINER);
    expect(container.args).toEqual([
      'load-worker',
      '--url',
      'http://web.shop.svc:80/',
      '--spec',
      JSON.stringify({ profile: 'constant', rate: 400, duration: 15_000, connections: 50, timeout: 2000 }),
      '--start',
      '1000008000',
      '--workers',
      '4',
    ]);
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(container.resources?.limits).not.toHaveProperty('cpu');
  });

  it('keeps off the nodes it is told to avoid', () => {
    expect(job().spec!.template.spec!.affinity).toBeUndefined();
    expect(job(['worker-2']).spec!.template.spec!.affinity!.nodeAffinity!.requiredDuringSchedulingIgnoredDuringExecution!.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'NotIn', values: ['worker-2'] }] },
    ]);
  });
});

describe('podTrouble', () => {
  const pod = (status: V1Pod['status']): V1Pod => ({ status });
  it('names a pod whose image cannot be had, or that no node takes, and nothing else', () => {
    expect(podTrouble(pod({ containerStatuses: [{ name: 'load', image: 'rebound/rebound:0.1.0', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ErrImageNeverPull', message: 'not present' } } }] }))).toBe(
      'its pod cannot start: ErrImageNeverPull: not present (image rebound/rebound:0.1.0; on kind, bash scripts/kind-cluster.sh up loads it)',
    );
    expect(podTrouble(pod({ conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available' }] }))).toBe('its pod cannot be scheduled: 0/3 nodes are available');
    expect(podTrouble(pod({ containerStatuses: [{ name: 'load', image: 'x', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] }))).toBeUndefined();
    expect(podTrouble(pod({ phase: 'Running' }))).toBeUndefined();
  });
});
