import { describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../../../src/common/errors.js';
import { helperHostConfig, helperImageError } from '../../../../src/targets/docker/helper-host-config.js';

// A fake engine that only answers info(): helperHostConfig asks nothing else.
const engine = (driver: string) => ({ info: async () => ({ CgroupDriver: driver }) }) as never;
const target = { containerId: 'abc123', name: 'web-1', hostConfig: {} };

describe('helper host config', () => {
  it('joins the namespaces asked for, and puts the cgroup under the target\'s (cgroupfs)', async () => {
    expect(await helperHostConfig(engine('cgroupfs'), target, { network: true, pid: true, cgroup: true }, ['NET_ADMIN'])).toEqual({
      AutoRemove: true,
      CapAdd: ['NET_ADMIN'],
      NetworkMode: 'container:abc123',
      PidMode: 'container:abc123',
      CgroupParent: '/docker/abc123',
    });
    expect((await helperHostConfig(engine('cgroupfs'), { ...target, hostConfig: { CgroupParent: '/ci' } }, { cgroup: true }, [])).CgroupParent).toBe('/ci/abc123');
  });

  it('refuses a cgroup join under the systemd driver with a reason and what to do', async () => {
    await expect(helperHostConfig(engine('systemd'), target, { cgroup: true }, [])).rejects.toThrow(EnvironmentError);
  });

  it('says how to build a missing helper image', () => {
    const missing = helperImageError('rebound/fault-tools:v1', Object.assign(new Error('(HTTP code 404) no such container - No such image: rebound/fault-tools:v1'), { statusCode: 404, json: { message: 'No such image: rebound/fault-tools:v1' } }));
    expect(missing).toBeInstanceOf(EnvironmentError);
    expect((missing as EnvironmentError).hint).toContain('scripts/helper-images.sh');
    const other = new Error('boom');
    expect(helperImageError('x', other)).toBe(other);
  });
});
