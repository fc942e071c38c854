import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { imageListed, normalImageName } from '../../../../../src/targets/kubernetes/ephemeral/helper-image-on-node.js';
import { containerEnded, helperState } from '../../../../../src/targets/kubernetes/ephemeral/helper-status.js';

const withStatus = (status: NonNullable<V1Pod['status']>): V1Pod => ({ metadata: { name: 'web-1' }, status });

describe('containerEnded', () => {
  const running = { name: 'web', image: 'web', imageID: '', ready: true, restartCount: 0, containerID: 'containerd://aaa', state: { running: {} } };
  it('is not ended while the same instance runs', () => {
    expect(containerEnded(withStatus({ containerStatuses: [running] }), 'web', 'aaa')).toEqual({ ended: false });
  });
  it('reads the exit code from the last state once restarted, or from the state before the restart', () => {
    const restarted = { ...running, containerID: 'containerd://bbb', restartCount: 1, lastState: { terminated: { exitCode: 2, reason: 'Error', containerID: 'containerd://aaa' } } };
    expect(containerEnded(withStatus({ containerStatuses: [restarted] }), 'web', 'aaa')).toEqual({ ended: true, exitCode: 2, reason: 'Error' });
    const down = { ...running, state: { terminated: { exitCode: 137, containerID: 'containerd://aaa' } } };
    expect(containerEnded(withStatus({ containerStatuses: [down] }), 'web', 'aaa')).toEqual({ ended: true, exitCode: 137 });
  });
  it('counts another instance as ended even without a last state', () => {
    expect(containerEnded(withStatus({ containerStatuses: [{ ...running, containerID: 'containerd://ccc' }] }), 'web', 'aaa')).toEqual({ ended: true });
  });
});

describe('helperState', () => {
  const ephemeral = (state: object) => withStatus({ ephemeralContainerStatuses: [{ name: 'rebound-crash-1', image: '', imageID: '', ready: false, restartCount: 0, state }] });
  it('tells not started, running, ended (with its message) and a start the kubelet will not retry', () => {
    expect(helperState(withStatus({}), 'rebound-crash-1')).toEqual({ state: 'not-yet' });
    expect(helperState(ephemeral({ waiting: { reason: 'ContainerCreating' } }), 'rebound-crash-1')).toEqual({ state: 'not-yet' });
    expect(helperState(ephemeral({ running: {} }), 'rebound-crash-1')).toEqual({ state: 'running' });
    expect(helperState(ephemeral({ terminated: { exitCode: 10, message: 'rebound-crash: no-handler' } }), 'rebound-crash-1')).toEqual({ state: 'ended', exitCode: 10, message: 'rebound-crash: no-handler' });
    expect(helperState(ephemeral({ waiting: { reason: 'ErrImageNeverPull', message: 'not present' } }), 'rebound-crash-1')).toEqual({ state: 'waiting', reason: 'ErrImageNeverPull', message: 'not present', hopeless: true });
  });
});

describe('the helper image on the node', () => {
  it('matches names as the kubelet lists them', () => {
    expect(normalImageName('rebound/fault-tools:v1')).toBe('docker.io/rebound/fault-tools:v1');
    expect(normalImageName('nginx')).toBe('docker.io/library/nginx:latest');
    expect(normalImageName('localhost:5000/x')).toBe('localhost:5000/x:latest');
    expect(normalImageName('registry.example/team/x@sha256:ab')).toBe('registry.example/team/x@sha256:ab');
    expect(imageListed([{ names: ['docker.io/rebound/fault-tools:v1'] }], 'rebound/fault-tools:v1')).toBe('present');
    expect(imageListed([{ names: ['docker.io/rebound/demo-app:v1'] }], 'rebound/fault-tools:v1')).toBe('absent');
  });
  it('cannot say absent when the list is cut at the kubelet\'s 50', () => {
    expect(imageListed(Array.from({ length: 50 }, (_, index) => ({ names: [`img${index}:v1`] })), 'rebound/fault-tools:v1')).toBe('unknown');
  });
});
