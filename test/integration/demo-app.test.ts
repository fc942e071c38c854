import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/common/clock.js';
import { LoadGenerator } from '../../src/probes/load-generator.js';
import { TrafficProbe } from '../../src/probes/traffic-probe.js';
import { entriesOf, Timeline } from '../../src/timeline/timeline.js';
import { DEMO_IMAGE, freeLoopbackPort } from './support/demo-containers.js';
import { dockerAvailable } from './support/engines.js';

// The demo app's releases (VERSION, BROKEN) and tiers (TIER=web calling an api by name), on the
// real Docker engine: one image, told by its environment what to be. Every container and the
// network carry a unique label and are removed at the end, also after a failure.
const docker = new Docker();
const available = await dockerAvailable();
const suffix = randomBytes(4).toString('hex');
const LABEL = { 'rebound.dev/test': `demo-app-${suffix}` };
const network = `rebound-test-${suffix}`;

interface Started {
  name: string;
  port: number;
}

async function start(name: string, env: Record<string, string>, options: { alias?: string } = {}): Promise<Started> {
  const port = await freeLoopbackPort();
  const container = await docker.createContainer({
    name: `rebound-test-${suffix}-${name}`,
    Image: DEMO_IMAGE,
    Labels: LABEL,
    Env: Object.entries(env).map(([key, value]) => `${key}=${value}`),
    ExposedPorts: { '8080/tcp': {} },
    HostConfig: { NetworkMode: network, PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] } },
    NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: options.alias ? [options.alias] : [] } } },
  });
  await container.start();
  return { name: `rebound-test-${suffix}-${name}`, port };
}

/** Waits (bounded) for the container's HEALTHCHECK to report `status`. */
async function healthOf(name: string, status: 'healthy' | 'unhealthy'): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const health = (await docker.getContainer(name).inspect()).State.Health?.Status ?? 'none';
    if (health === status || Date.now() > deadline) return health;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Waits (bounded) until the container answers on its port, then gets `path`. */
async function get(port: number, path = '/'): Promise<Response> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      return await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2000) });
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

async function removeAll(): Promise<void> {
  const leftovers = await docker.listContainers({ all: true, filters: { label: [`rebound.dev/test=${LABEL['rebound.dev/test']}`] } });
  await Promise.all(leftovers.map((container) => docker.getContainer(container.Id).remove({ force: true }).catch(() => undefined)));
  await docker.getNetwork(network).remove().catch(() => undefined);
}

describe.runIf(available)('demo app: versions, broken releases and two tiers (Docker)', () => {
  beforeAll(async () => {
    await docker.createNetwork({ Name: network, Labels: LABEL });
  });
  afterAll(removeAll);

  it('answers its VERSION in X-Version and in the body, which still starts "instance <id>"', async () => {
    const app = await start('v2', { VERSION: 'v2' });
    const response = await get(app.port);
    const body = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('x-version')).toBe('v2');
    expect(body).toMatch(/^instance [0-9a-f]{12} version v2 on one host\n$/);
    expect(response.headers.get('x-instance')).toBe(/^instance (\S+)/.exec(body)![1]);
    const untold = await start('v1', {});
    expect((await get(untold.port)).headers.get('x-version')).toBe('v1');
  });

  it('BROKEN=health: /healthz answers 500 and the HEALTHCHECK says unhealthy, while / still answers', async () => {
    const app = await start('broken-health', { VERSION: 'v3', BROKEN: 'health' });
    expect((await get(app.port, '/healthz')).status).toBe(500);
    expect((await get(app.port)).status).toBe(200);
    expect(await healthOf(app.name, 'unhealthy')).toBe('unhealthy');
  });

  it('BROKEN=errors: / answers 500 naming the instance and version, while /healthz is healthy', async () => {
    const app = await start('broken-errors', { VERSION: 'v3', BROKEN: 'errors' });
    const response = await get(app.port);
    expect(response.status).toBe(500);
    expect(await response.text()).toMatch(/^instance \S+ version v3 broken: BROKEN=errors/);
    expect(await healthOf(app.name, 'healthy')).toBe('healthy');
  });

  it('BROKEN=exit exits 1 at start and says why in its log; an unknown BROKEN or TIER exits 2', async () => {
    const exited = async (name: string, env: Record<string, string>) => {
      const app = await start(name, env);
      const { StatusCode } = (await docker.getContainer(app.name).wait()) as { StatusCode: number };
      const log = (await docker.getContainer(app.name).logs({ stdout: true, stderr: true })).toString('utf8');
      return { code: StatusCode, log };
    };
    const broken = await exited('broken-exit', { VERSION: 'v3', BROKEN: 'exit' });
    expect(broken.code).toBe(1);
    expect(broken.log).toContain('BROKEN=exit, a broken release: exiting 1 at start');
    const typo = await exited('broken-typo', { BROKEN: 'helth' });
    expect(typo).toMatchObject({ code: 2, log: expect.stringContaining('BROKEN="helth": expected health, errors or exit') });
    expect((await exited('tier-typo', { TIER: 'db' })).code).toBe(2);
  });

  it('TIER=web calls the api by name for each request, names both instances and nodes, and answers 502 when the api is gone', async () => {
    const api = await start('api', { TIER: 'api', VERSION: 'v5', NODE_NAME: 'node-b' }, { alias: 'api' });
    const web = await start('web', { TIER: 'web', NODE_NAME: 'node-a' });
    const sameNode = await start('web-same', { TIER: 'web', NODE_NAME: 'node-b' });
    const oneHost = await start('web-docker', { TIER: 'web' });
    await get(api.port);
    const response = await get(web.port);
    const body = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('x-api-version')).toBe('v5');
    expect(response.headers.get('x-node')).toBe('node-a');
    expect(response.headers.get('x-api-node')).toBe('node-b');
    expect(response.headers.get('x-crossed-nodes')).toBe('true');
    expect(body).toMatch(/^instance \S+ version v1 on node node-a\napi instance \S+ version v5 on node node-b \(crossed nodes\)\n$/);
    expect((await get(sameNode.port)).headers.get('x-crossed-nodes')).toBe('false');
    // A Docker host: the web tier knows no node, so it says nothing about crossing.
    const onOneHost = await get(oneHost.port);
    expect(onOneHost.headers.get('x-crossed-nodes')).toBeNull();
    expect(await onOneHost.text()).toMatch(/^instance \S+ version v1 on one host\napi instance/);

    await docker.getContainer(api.name).stop({ t: 0 });
    const failed = await get(web.port);
    expect(failed.status).toBe(502);
    expect(await failed.text()).toMatch(/^instance \S+ version v1 on node node-a\napi http:\/\/api:8080\/ unreachable \(timeout 500ms\): /);
  });

  it('the traffic probe and the load generator record the version of every answer', async () => {
    const app = await start('probed', { VERSION: 'v9' });
    await get(app.port);
    const timeline = new Timeline(systemClock());
    const url = `http://127.0.0.1:${app.port}/`;
    const probe = new TrafficProbe({ url, rate: 50, timeoutMs: 1000, durationMs: 1000 }, timeline).start();
    const load = new LoadGenerator(url, { profile: 'constant', rate: 100, duration: 1000, connections: 4, timeout: 1000 }, timeline).start();
    await new Promise((resolve) => setTimeout(resolve, 1300));
    await Promise.all([probe.stop(), load.stop()]);
    const requests = entriesOf(timeline.entries, 'request');
    expect(requests.length).toBeGreaterThanOrEqual(45);
    expect(requests.every((request) => request.data.ok && request.data.version === 'v9')).toBe(true);
    const buckets = entriesOf(timeline.entries, 'load-bucket');
    const answered = buckets.reduce((sum, bucket) => sum + bucket.data.ok, 0);
    expect(answered).toBeGreaterThanOrEqual(90);
    expect(buckets.reduce((sum, bucket) => sum + (bucket.data.byVersion?.v9 ?? 0), 0)).toBe(answered);
  });
});
