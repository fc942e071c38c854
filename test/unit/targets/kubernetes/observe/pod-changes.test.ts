import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { deletionRequestedAt, podChanges, snapshotOf, UNSEEN_POD } from '../../../../../src/targets/kubernetes/observe/pod-changes.js';

// Hand-written pods in the shape the API returns them (client-node turns times into Dates).
const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));

function pod(overrides: { node?: string; ready?: boolean; readyAt?: number; restartCount?: number; startedAt?: number; lastFinishedAt?: number; lastExitCode?: number; deletion?: number; grace?: number }): V1Pod {
  return {
    metadata: {
      name: 'web-1',
      uid: 'u1',
      ...(overrides.deletion !== undefined && { deletionTimestamp: at(overrides.deletion), deletionGracePeriodSeconds: overrides.grace ?? 0 }),
    },
    spec: { containers: [{ name: 'app' }], ...(overrides.node && { nodeName: overrides.node }) },
    status: {
      phase: 'Running',
      conditions: [
        ...(overrides.node ? [{ type: 'PodScheduled', status: 'True', lastTransitionTime: at(1) }] : []),
        { type: 'Ready', status: overrides.ready ? 'True' : 'False', lastTransitionTime: at(overrides.readyAt ?? 0) },
      ],
      containerStatuses: overrides.startedAt === undefined ? [] : [
        {
          name: 'app',
          image: 'demo',
          imageID: '',
          ready: overrides.ready ?? false,
          restartCount: overrides.restartCount ?? 0,
          state: { running: { startedAt: at(overrides.startedAt) } },
          ...(overrides.lastFinishedAt !== undefined && { lastState: { terminated: { exitCode: overrides.lastExitCode ?? 137, finishedAt: at(overrides.lastFinishedAt) } } }),
        },
      ],
    },
  } as V1Pod;
}

describe('podChanges', () => {
  it('reports a new pod\'s life so far: scheduled, start, ready, with the API\'s timestamps', () => {
    const changes = podChanges(UNSEEN_POD, pod({ node: 'worker', startedAt: 3, ready: true, readyAt: 4 }));
    expect(changes.map((change) => change.action)).toEqual(['scheduled', 'start', 'ready']);
    expect(changes[0]).toMatchObject({ node: 'worker', engineTime: at(1).getTime() });
    expect(changes[1]).toMatchObject({ container: 'app', restartCount: 0, engineTime: at(3).getTime() });
    expect(changes[2]!.engineTime).toBe(at(4).getTime());
  });

  it('reports a crash as die (exit code), restart (count) and start, in that order', () => {
    const before = snapshotOf(pod({ node: 'worker', startedAt: 3, ready: true, readyAt: 4 }));
    const after = pod({ node: 'worker', startedAt: 11, restartCount: 1, lastFinishedAt: 10, lastExitCode: 137, ready: false, readyAt: 10 });
    const changes = podChanges(before, after);
    expect(changes.map((change) => change.action)).toEqual(['die', 'restart', 'start', 'unready']);
    expect(changes[0]).toMatchObject({ exitCode: 137, engineTime: at(10).getTime() });
    expect(changes[1]).toMatchObject({ restartCount: 1, engineTime: at(11).getTime() });
  });

  it('reports CrashLoopBackOff once, with the kubelet\'s message (the back-off in force)', () => {
    const before = snapshotOf(pod({ node: 'w1', ready: true, startedAt: 10, restartCount: 1 }));
    const backingOff: V1Pod = pod({ node: 'w1', ready: false, startedAt: 10, restartCount: 2 });
    backingOff.status!.containerStatuses![0]!.state = { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s restarting failed container=app' } };
    const changes = podChanges(before, backingOff);
    expect(changes.filter((change) => change.action === 'back-off')).toEqual([{ action: 'back-off', container: 'app', node: 'w1', reason: 'CrashLoopBackOff', restartCount: 2, message: 'back-off 20s restarting failed container=app' }]);
    expect(podChanges(snapshotOf(backingOff), backingOff)).toEqual([]);
  });

  it('reports an exit whose reason the kubelet corrects later (Error, then OOMKilled) once, then the new reason', () => {
    const died = pod({ node: 'w1', startedAt: 11, restartCount: 1, lastFinishedAt: 10 });
    died.status!.containerStatuses![0]!.lastState!.terminated!.reason = 'Error';
    const corrected = structuredClone(died);
    corrected.status!.containerStatuses![0]!.lastState!.terminated!.reason = 'OOMKilled';
    expect(podChanges(snapshotOf(died), corrected)).toEqual([{ action: 'exit-reason', container: 'app', node: 'w1', reason: 'OOMKilled', exitCode: 137 }]);
    expect(podChanges(snapshotOf(corrected), corrected)).toEqual([]);
  });

  it('reports nothing when nothing changed', () => {
    const same = pod({ node: 'worker', startedAt: 3, ready: true, readyAt: 4 });
    expect(podChanges(snapshotOf(same), same)).toEqual([]);
  });

  it('reports terminating at the time the deletion was requested (deletionTimestamp − grace)', () => {
    const before = snapshotOf(pod({ node: 'worker', startedAt: 3, ready: true }));
    const changes = podChanges(before, pod({ node: 'worker', startedAt: 3, ready: true, deletion: 40, grace: 30 }));
    expect(changes).toEqual([{ action: 'terminating', node: 'worker', engineTime: at(10).getTime() }]);
    expect(deletionRequestedAt(pod({ deletion: 40, grace: 30 }))).toBe(at(10).getTime());
  });
});
