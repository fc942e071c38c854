import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../../src/common/errors.js';
import { namespaceOf } from '../../../../src/targets/kubernetes/namespace-of.js';
import { isControlPlane, toHost } from '../../../../src/targets/kubernetes/node-facts.js';
import { globToRegExp, isPodReady, labelSelectorOf, podMatches, toInstance } from '../../../../src/targets/kubernetes/pod-facts.js';

const readyPod = (labels: Record<string, string>, extra: Partial<V1Pod['metadata']> = {}): V1Pod => ({
  metadata: { name: 'web-7f9-abc', uid: 'u1', labels, creationTimestamp: new Date(1000), ...extra },
  spec: { nodeName: 'w1', restartPolicy: 'Always', containers: [{ name: 'app', readinessProbe: { httpGet: { path: '/healthz', port: 8080 } } }] },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'app', image: '', imageID: '', ready: true, restartCount: 0, state: { running: {} } }] },
});

describe('pod facts', () => {
  it('matches name globs and writes label selectors', () => {
    expect(globToRegExp('web-*').test('web-7f9-abc')).toBe(true);
    expect(globToRegExp('web-?').test('web-12')).toBe(false);
    expect(globToRegExp('a.b*').test('axb')).toBe(false);
    expect(labelSelectorOf({ app: 'web', tier: 'front' })).toBe('app=web,tier=front');
    expect(podMatches(readyPod({ app: 'web' }), { labels: { app: 'web' }, name: 'web-*' })).toBe(true);
    expect(podMatches(readyPod({ app: 'web' }), { labels: { app: 'db' } })).toBe(false);
  });

  it('counts a terminating pod as not ready, whatever its condition says', () => {
    expect(isPodReady(readyPod({}))).toBe(true);
    expect(isPodReady(readyPod({}, { deletionTimestamp: new Date() }))).toBe(false);
  });

  it('protects pods without the opt-in label, naming the label (the planner relies on it)', () => {
    const opted = toInstance(readyPod({ 'rebound.dev/chaos': 'enabled' }));
    expect(opted).toMatchObject({ id: 'u1', name: 'web-7f9-abc', host: 'w1', createdAt: 1000, running: true, ready: true, restartPolicy: 'Always', hasHealthcheck: true });
    expect(opted.protectedReason).toBeUndefined();
    expect(toInstance(readyPod({})).protectedReason).toMatch(/rebound\.dev\/chaos=enabled/);
  });

  it('protects the control-plane node', () => {
    const node = { metadata: { name: 'cp', labels: { 'node-role.kubernetes.io/control-plane': '' } }, status: { conditions: [{ type: 'Ready', status: 'True' }] } };
    expect(isControlPlane(node)).toBe(true);
    expect(toHost(node, 0)).toMatchObject({ role: 'control-plane', ready: true, schedulable: true, protectedReason: expect.stringMatching(/control-plane/) });
    expect(toHost({ metadata: { name: 'w1' }, spec: { unschedulable: true } }, 2)).toEqual({ name: 'w1', role: 'worker', ready: false, schedulable: false, instanceCount: 2 });
  });

  it('refuses system namespaces unless allowed', () => {
    expect(() => namespaceOf({ labels: {}, namespace: 'kube-system' }, false)).toThrow(UsageError);
    expect(namespaceOf({ labels: {}, namespace: 'kube-system' }, true)).toBe('kube-system');
    expect(namespaceOf({ labels: {} }, false)).toBe('default');
  });
});
