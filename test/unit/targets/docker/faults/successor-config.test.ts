import { describe, expect, it } from 'vitest';
import type { RecordedContainer } from '../../../../../src/faults/index.js';
import { alreadyReleased, sameRelease, successorConfig } from '../../../../../src/targets/docker/faults/successor-config.js';

const ID = '0123456789abcdef0123456789abcdef';
const recorded: RecordedContainer = {
  name: 'web-0',
  id: ID,
  config: {
    Image: 'rebound/demo-app:v1',
    Hostname: 'web-0',
    Env: ['PORT=8080', 'VERSION=v1', 'PATH=/usr/bin'],
    Labels: { app: 'web', 'dev.rebound.source-hash': 'aaa' },
    Cmd: null,
    Entrypoint: ['/demo-app'],
    Healthcheck: { Test: ['CMD', '/demo-app', '-healthcheck'] },
  },
  hostConfig: { RestartPolicy: { Name: 'always' }, PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '18090' }] } },
  networks: { bridge: {} },
};
const oldImage = { Env: ['PATH=/usr/bin'], Labels: { 'dev.rebound.source-hash': 'aaa' }, Cmd: null, Entrypoint: ['/demo-app'], Healthcheck: { Test: ['CMD', '/demo-app', '-healthcheck'] } };

describe('successorConfig', () => {
  it('a new environment: the variables set are replaced by name, everything else stays (name, labels, ports, restart policy, networks)', () => {
    const next = successorConfig(recorded, { env: { VERSION: 'v2', BROKEN: 'exit' } });
    expect(next.config.Env).toEqual(['PORT=8080', 'PATH=/usr/bin', 'VERSION=v2', 'BROKEN=exit']);
    expect({ ...next, config: { ...next.config, Env: recorded.config.Env } }).toEqual(recorded);
  });

  it('a new image: what the old image contributed goes, so the new image\'s ENV, LABELs, ENTRYPOINT and HEALTHCHECK apply', () => {
    const next = successorConfig(recorded, { image: 'rebound/demo-app:v2' }, oldImage);
    expect(next.config).toEqual({ Image: 'rebound/demo-app:v2', Hostname: 'web-0', Env: ['PORT=8080', 'VERSION=v1'], Labels: { app: 'web' } });
    expect(next.hostConfig).toBe(recorded.hostConfig);
  });

  it('drops a Hostname that was Docker\'s default (the old short id): the successor gets its own', () => {
    const next = successorConfig({ ...recorded, config: { ...recorded.config, Hostname: ID.slice(0, 12) } }, { env: { VERSION: 'v2' } });
    expect(next.config.Hostname).toBeUndefined();
  });
});

describe('alreadyReleased and sameRelease', () => {
  it('a release the container runs already (Compose leaves it alone)', () => {
    expect(alreadyReleased(recorded, { env: { VERSION: 'v1' } })).toBe(true);
    expect(alreadyReleased(recorded, { env: { VERSION: 'v2' } })).toBe(false);
    expect(alreadyReleased(recorded, { image: 'rebound/demo-app:v2' })).toBe(false);
  });

  it('the same release whatever the container id and the order of its environment', () => {
    const recreated = { ...recorded, id: 'f'.repeat(32), config: { ...recorded.config, Env: ['VERSION=v1', 'PATH=/usr/bin', 'PORT=8080'] } };
    expect(sameRelease(recreated, recorded)).toBe(true);
    expect(sameRelease(successorConfig(recorded, { env: { VERSION: 'v2' } }), recorded)).toBe(false);
  });
});
