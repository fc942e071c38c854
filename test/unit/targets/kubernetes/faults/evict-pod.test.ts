import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { isEvictable } from '../../../../../src/targets/kubernetes/faults/evict-pod.js';

describe('isEvictable', () => {
  const pod = (metadata: V1Pod['metadata'], phase = 'Running'): V1Pod => ({ metadata, status: { phase } });
  it('skips DaemonSet pods, mirror pods, terminating and finished pods, as kubectl drain does', () => {
    expect(isEvictable(pod({ name: 'web', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: '1', controller: true }] }))).toBe(true);
    expect(isEvictable(pod({ name: 'proxy', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'kube-proxy', uid: '2', controller: true }] }))).toBe(false);
    expect(isEvictable(pod({ name: 'etcd', annotations: { 'kubernetes.io/config.mirror': 'abc' } }))).toBe(false);
    expect(isEvictable(pod({ name: 'going', deletionTimestamp: new Date() }))).toBe(false);
    expect(isEvictable(pod({ name: 'job' }, 'Succeeded'))).toBe(false);
  });
});
