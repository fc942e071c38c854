import type { V1ContainerState, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { unreadyReport } from '../../../../../src/targets/kubernetes/deploy/unready-report.js';

const context = { image: 'rebound/demo-app:v9', namespace: 'ns', port: 8080, healthPath: '/healthz' };

const pod = (name: string, state: V1ContainerState | undefined, options: { ready?: boolean; restarts?: number; deleting?: boolean } = {}): V1Pod => ({
  metadata: { name, ...(options.deleting && { deletionTimestamp: new Date() }) },
  spec: { containers: [{ name: 'web' }] },
  status: {
    phase: state?.running ? 'Running' : 'Pending',
    conditions: [
      { type: 'PodScheduled', status: 'True' },
      { type: 'Ready', status: options.ready ? 'True' : 'False' },
    ],
    ...(state && { containerStatuses: [{ name: 'web', image: '', imageID: '', ready: options.ready ?? false, restartCount: options.restarts ?? 0, state }] }),
  },
});

describe('unreadyReport', () => {
  it('names an image that is not on the node, and says waiting will not help', () => {
    const missing = pod('web-a', { waiting: { reason: 'ErrImageNeverPull', message: 'Container image "rebound/demo-app:v9" is not present with pull policy of Never' } });
    const report = unreadyReport([missing, pod('web-b', { running: {} }, { ready: true })], context);
    expect(report.pods).toEqual(['web-a: waiting (ErrImageNeverPull: Container image "rebound/demo-app:v9" is not present with pull policy of Never)']);
    expect(report.hopeless).toBe(true);
    expect(report.hint).toMatch(/rebound cluster load-image rebound\/demo-app:v9/);
  });

  it('says why a pod is not scheduled', () => {
    const pending: V1Pod = {
      metadata: { name: 'web-c' },
      status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 1 node(s) were unschedulable.' }] },
    };
    const report = unreadyReport([pending], context);
    expect(report.pods).toEqual(['web-c: Pending, not scheduled (Unschedulable: 0/3 nodes are available: 1 node(s) were unschedulable.)']);
    expect(report.hopeless).toBe(false);
    expect(report.hint).toMatch(/kubectl get nodes/);
  });

  it('describes crash loops, exits, failing probes and terminating pods', () => {
    const report = unreadyReport(
      [
        pod('web-d', { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s' } }, { restarts: 3 }),
        pod('web-e', { terminated: { reason: 'Error', exitCode: 2 } }, { restarts: 1 }),
        pod('web-f', { running: {} }),
        pod('web-g', { running: {} }, { ready: true, deleting: true }),
      ],
      context,
    );
    expect(report.pods).toEqual([
      'web-d: waiting (CrashLoopBackOff: back-off 10s), 3 restarts',
      'web-e: exited (Error: exit code 2), 1 restart',
      'web-f: running, readiness probe not passing',
      'web-g: terminating',
    ]);
    expect(report.hint).toMatch(/kubectl -n ns logs web-d --previous/);
  });

  it('points at the health path when the probe is what fails', () => {
    expect(unreadyReport([pod('web-h', { running: {} })], context).hint).toMatch(/GET \/healthz on port 8080/);
  });
});
