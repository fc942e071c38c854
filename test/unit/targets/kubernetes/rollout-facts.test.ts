import type { V1Deployment, V1ReplicaSet } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { rolloutComplete, rolloutState, strategyInWords } from '../../../../src/targets/kubernetes/rollout-facts.js';

const deployment = (status: V1Deployment['status'], generation = 2, revision = '2'): V1Deployment => ({
  metadata: { name: 'web', uid: 'uid-web', generation, annotations: { 'deployment.kubernetes.io/revision': revision } },
  spec: { replicas: 3, selector: {}, template: {}, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } },
  status,
});
const replicaSet = (name: string, revision: string, replicas: number, ready: number, owner = 'uid-web'): V1ReplicaSet => ({
  metadata: { name, annotations: { 'deployment.kubernetes.io/revision': revision }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: owner, controller: true }] },
  spec: { replicas, selector: {} },
  status: { replicas, readyReplicas: ready },
});

describe('rolloutComplete', () => {
  it('as kubectl rollout status: the latest spec observed, every pod updated and available, nothing else', () => {
    expect(rolloutComplete(deployment({ observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }))).toBe(true);
    expect(rolloutComplete(deployment({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }))).toBe(false);
    expect(rolloutComplete(deployment({ observedGeneration: 2, replicas: 4, updatedReplicas: 3, availableReplicas: 4 }))).toBe(false);
    expect(rolloutComplete(deployment({ observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 2 }))).toBe(false);
  });
});

describe('strategyInWords', () => {
  it('names the rolling update\'s limits, or Recreate', () => {
    expect(strategyInWords(deployment({}))).toBe('RollingUpdate maxSurge 1, maxUnavailable 0');
    expect(strategyInWords({ ...deployment({}), spec: { selector: {}, template: {}, strategy: { type: 'Recreate' } } })).toMatch(/^the Recreate strategy/);
    expect(strategyInWords({ ...deployment({}), spec: { selector: {}, template: {} } })).toBe('RollingUpdate maxSurge 25%, maxUnavailable 25%');
  });
});

describe('rolloutState', () => {
  it('counts, conditions and the Deployment\'s own ReplicaSets with pods, newest first, the current one marked', () => {
    const status = {
      observedGeneration: 2,
      replicas: 4,
      updatedReplicas: 1,
      availableReplicas: 3,
      conditions: [
        { type: 'Available', status: 'True' },
        { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-2" has timed out progressing.' },
      ],
    };
    const state = rolloutState(deployment(status), [replicaSet('web-1', '1', 3, 3), replicaSet('web-2', '2', 1, 0), replicaSet('web-0', '0', 0, 0), replicaSet('other', '5', 2, 2, 'uid-other')]);
    expect(state).toEqual({
      owner: 'Deployment/web',
      revision: 2,
      observed: true,
      desired: 3,
      updated: 1,
      total: 4,
      available: 3,
      complete: false,
      progressing: { status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-2" has timed out progressing.' },
      availableCondition: 'True',
      replicaSets: [
        { name: 'web-2', revision: 2, replicas: 1, ready: 0, current: true },
        { name: 'web-1', revision: 1, replicas: 3, ready: 3, current: false },
      ],
    });
  });
});
