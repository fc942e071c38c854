import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { EnvironmentError, InterruptedError } from '../../src/common/errors.js';
import { DEPLOY_LABEL } from '../../src/common/labels.js';
import { injectionRun, plannedFault } from './support/inject-fault.js';
import { OPT_IN_LABEL, OPT_IN_VALUE } from '../../src/common/labels.js';
import { DockerTarget } from '../../src/targets/docker/index.js';
import type { DeployedSystem, DeploymentSpec } from '../../src/targets/target.js';
import { DEMO_IMAGE, freeLoopbackPort } from './support/demo-containers.js';
import { dockerAvailable } from './support/engines.js';

// DockerTarget.deploy / restore / teardown / removeDeployment against the real engine. Every
// container also carries rebound.dev/test=<suffix>, so afterAll removes whatever a failed test left
// without relying on the code under test.
const docker = new Docker();
const available = await dockerAvailable();
const target = new DockerTarget(docker);
const suffix = randomBytes(4).toString('hex');
const TEST_LABEL = 'rebound.dev/test';

afterAll(async () => {
  if (!available) return;
  const leftovers = await docker.listContainers({ all: true, filters: { label: [`${TEST_LABEL}=${suffix}`] } });
  await Promise.all(leftovers.map((container) => docker.getContainer(container.Id).remove({ force: true })));
});

function specOf(name: string, overrides: Partial<DeploymentSpec> = {}): DeploymentSpec {
  const deployName = `rebound-deploy-${suffix}-${name}`;
  return {
    name: deployName,
    labels: { [TEST_LABEL]: suffix, [DEPLOY_LABEL]: deployName, [OPT_IN_LABEL]: OPT_IN_VALUE },
    image: DEMO_IMAGE,
    replicas: 3,
    port: 8080,
    healthPath: '/healthz',
    restartPolicy: 'always',
    env: {},
    ...overrides,
  };
}

async function containersOf(deployName: string): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: [`${DEPLOY_LABEL}=${deployName}`] } });
}

/** `count` consecutive ports nobody listens on, since replica i is published on hostPort + i. */
async function freeLoopbackPorts(count: number): Promise<number> {
  for (;;) {
    const base = await freeLoopbackPort();
    if (base + count > 65_000) continue;
    const rest = await Promise.all(Array.from({ length: count - 1 }, (_, index) => isFree(base + index + 1)));
    if (rest.every(Boolean)) return base;
  }
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The CPU quota (cores) and memory limit the kernel enforces on a process: cgroup v1 or v2. */
async function cgroupLimits(pid: number): Promise<{ cpuQuotaPerPeriod: number; memoryBytes: number }> {
  const lines = (await readFile(`/proc/${pid}/cgroup`, 'utf8')).trim().split('\n').map((line) => line.split(':'));
  const unified = lines.find(([id]) => id === '0')?.[2];
  const v1 = (controller: string) => lines.find(([, controllers]) => controllers?.split(',').includes(controller))?.[2];
  const cpu = v1('cpu');
  if (cpu !== undefined) {
    const quota = Number(await readFile(`/sys/fs/cgroup/cpu${cpu}/cpu.cfs_quota_us`, 'utf8'));
    const period = Number(await readFile(`/sys/fs/cgroup/cpu${cpu}/cpu.cfs_period_us`, 'utf8'));
    return { cpuQuotaPerPeriod: quota / period, memoryBytes: Number(await readFile(`/sys/fs/cgroup/memory${v1('memory')}/memory.limit_in_bytes`, 'utf8')) };
  }
  const [quota, period] = (await readFile(`/sys/fs/cgroup${unified}/cpu.max`, 'utf8')).trim().split(' ').map(Number);
  return { cpuQuotaPerPeriod: quota! / period!, memoryBytes: Number(await readFile(`/sys/fs/cgroup${unified}/memory.max`, 'utf8')) };
}

async function answer(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(3000) });
  return (await response.text()).trim();
}

async function expectAllReady(spec: DeploymentSpec): Promise<void> {
  const containers = await containersOf(spec.name);
  expect(containers.map((container) => container.Names[0]!.replace(/^\//, '')).sort()).toEqual(Array.from({ length: spec.replicas }, (_, index) => `${spec.name}-${index}`));
  for (let index = 0; index < spec.replicas; index++) {
    const info = await docker.getContainer(`${spec.name}-${index}`).inspect();
    expect(info.State.Running && !info.State.Paused).toBe(true);
    expect(info.State.Health?.Status).toBe('healthy');
    // The body goes on after the instance ("… version v1 on one host"): only its start names it.
    expect((await answer(spec.hostPort! + index)).split(' ').slice(0, 2).join(' ')).toBe(`instance ${spec.name}-${index}`);
  }
}

describe.runIf(available)('DockerTarget.deploy against the real Docker engine', () => {
  let spec: DeploymentSpec;
  let deployed: DeployedSystem | undefined;

  it('deploys 3 replicas with restart always, each healthy and answering on its own 127.0.0.1 port only', async () => {
    spec = specOf('web', { hostPort: await freeLoopbackPorts(3) });
    const started = performance.now();
    deployed = await target.deploy(spec, { timeoutMs: 60_000 });
    console.info(`deploy of 3 replicas: ${Math.round(performance.now() - started)} ms`);

    expect(deployed.description).toBe(`3 containers ${spec.name}-0..2 of ${DEMO_IMAGE}, restart always, 127.0.0.1:${spec.hostPort}-${spec.hostPort! + 2}`);
    await expectAllReady(spec);
    for (let index = 0; index < 3; index++) {
      const info = await docker.getContainer(`${spec.name}-${index}`).inspect();
      expect(info.HostConfig.RestartPolicy?.Name).toBe('always');
      expect(info.Config.Labels).toMatchObject(spec.labels);
      expect(info.Config.Env).toContain('PORT=8080');
      expect(info.HostConfig.PortBindings).toEqual({ '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: String(spec.hostPort! + index) }] });
      // What the engine actually bound: loopback only, never 0.0.0.0 (nor ::).
      const bound = Object.values(info.NetworkSettings.Ports ?? {}).flatMap((bindings) => bindings ?? []);
      expect(bound.map((binding) => binding.HostIp)).toEqual(['127.0.0.1']);
    }
  });

  it('deploy.resources → NanoCpus and Memory (no extra swap) on every replica, in the kernel\'s cgroup too and again after restore; autoscale is only reported', async () => {
    const resources = { cpu: { text: '100m', millicores: 100 }, memory: { text: '64Mi', bytes: 64 * 2 ** 20 } };
    const limited = specOf('limited', { replicas: 2, hostPort: await freeLoopbackPorts(2), resources, autoscale: { min: 2, max: 6, cpuPercent: 50 } });
    const system = await target.deploy(limited, { timeoutMs: 60_000 });
    try {
      expect(system.description).toBe(
        `2 containers ${limited.name}-0..1 of ${DEMO_IMAGE}, restart always, 127.0.0.1:${limited.hostPort}-${limited.hostPort! + 1}, 0.1 CPU and 64 MiB each (--cpus/--memory); a plain Docker host has no autoscaler; it stays at 2 instances`,
      );
      const expectLimited = async (name: string) => {
        const info = await docker.getContainer(name).inspect();
        expect(info.HostConfig).toMatchObject({ NanoCpus: 100_000_000, Memory: 67_108_864, MemorySwap: 67_108_864 });
        expect(await cgroupLimits(info.State.Pid)).toEqual({ cpuQuotaPerPeriod: 0.1, memoryBytes: 67_108_864 });
      };
      for (let index = 0; index < 2; index++) await expectLimited(`${limited.name}-${index}`);
      await docker.getContainer(`${limited.name}-1`).remove({ force: true });
      await system.restore({ timeoutMs: 60_000 });
      await expectLimited(`${limited.name}-1`);
    } finally {
      await system.teardown();
    }
  });

  it('restore: a removed replica, a docker-killed one, a paused one and a scale clone → exactly 3 healthy replicas again', async () => {
    expect(deployed).toBeDefined();
    // The scale fault's clone of the oldest replica: it carries the deploy label but is no replica.
    const scaled = await target.inject(plannedFault('scale', { replicas: 4 }, []), injectionRun({ labels: { [DEPLOY_LABEL]: spec.name } }));
    expect(scaled.undo.record).toMatchObject({ action: 'restore-count', before: 3, clones: [`${spec.name}-0-scale-3`] });
    await docker.getContainer(`${spec.name}-0`).remove({ force: true });
    await docker.getContainer(`${spec.name}-1`).kill();
    await docker.getContainer(`${spec.name}-2`).pause();
    expect(await containersOf(spec.name)).toHaveLength(3);

    const started = performance.now();
    await deployed!.restore({ timeoutMs: 60_000 });
    console.info(`restore (1 re-created, 1 started, 1 unpaused, 1 clone removed): ${Math.round(performance.now() - started)} ms`);
    await expectAllReady(spec);
  });

  it('teardown removes every container of the deploy; a second teardown is fine', async () => {
    expect(deployed).toBeDefined();
    const first = await deployed!.teardown();
    expect(first.ok).toBe(true);
    expect(first.action).toMatch(new RegExp(`^removed .*${spec.name}-0`));
    expect(await containersOf(spec.name)).toEqual([]);
    const second = await deployed!.teardown();
    expect(second).toEqual({ ok: true, action: expect.stringMatching(/^nothing to remove/) });
  });

  it('an image that is not on the engine → EnvironmentError, nothing left behind', async () => {
    const missing = specOf('missing-image', { image: `rebound/does-not-exist:${suffix}` });
    const error = await target.deploy(missing, { timeoutMs: 10_000 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as EnvironmentError).message).toContain(`rebound/does-not-exist:${suffix} is not on the Docker engine`);
    expect((error as EnvironmentError).hint).toMatch(/pulls nothing/);
    expect(await containersOf(missing.name)).toEqual([]);
  });

  it('replicas that never get healthy → EnvironmentError at the timeout naming each and its state, nothing left behind', async () => {
    // An unparsable port makes the demo app exit 1 at once; restart always keeps it restarting.
    const broken = specOf('crashloop', { env: { PORT: 'not-a-port' }, hostPort: await freeLoopbackPorts(3) });
    const started = performance.now();
    const error = await target.deploy(broken, { timeoutMs: 4000 }).catch((caught: unknown) => caught);
    const waited = performance.now() - started;
    expect(error).toBeInstanceOf(EnvironmentError);
    const message = (error as EnvironmentError).message;
    expect(message).toMatch(/3 of 3 replicas not ready/);
    for (let index = 0; index < 3; index++) expect(message).toContain(`${broken.name}-${index} `);
    expect(message).toMatch(/restarted \d+ times, last exit code 1/);
    expect(message).toContain('unknown port');
    expect(waited).toBeGreaterThanOrEqual(4000);
    expect(waited).toBeLessThan(15_000);
    expect(await containersOf(broken.name)).toEqual([]);
  });

  it('an exited replica that its restart policy will not restart → fails at once, not at the timeout', async () => {
    const broken = specOf('exits', { env: { PORT: 'not-a-port' }, restartPolicy: 'no', replicas: 2 });
    const started = performance.now();
    const error = await target.deploy(broken, { timeoutMs: 120_000 }).catch((caught: unknown) => caught);
    const waited = performance.now() - started;
    console.info(`deploy failing fast on an exited replica (restart no): ${Math.round(waited)} ms`);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as EnvironmentError).message).toMatch(/exited \(exit code 1\), restart policy no/);
    expect(waited).toBeLessThan(20_000);
    expect(await containersOf(broken.name)).toEqual([]);
  });

  it('the run being interrupted while waiting → InterruptedError, nothing left behind', async () => {
    const broken = specOf('interrupted', { env: { PORT: 'not-a-port' }, replicas: 1 });
    const controller = new AbortController();
    setTimeout(() => controller.abort('SIGINT'), 1000);
    const error = await target.deploy(broken, { timeoutMs: 120_000, signal: controller.signal }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InterruptedError);
    expect(await containersOf(broken.name)).toEqual([]);
  });

  it('a deploy over the leftovers of a killed run replaces them; removeDeployment cleans up without a DeployedSystem', async () => {
    const leftover = specOf('leftover', { replicas: 2 });
    await target.deploy(leftover, { timeoutMs: 60_000 });
    const before = (await containersOf(leftover.name)).map((container) => container.Id);
    // As if the run had been killed with -9: no teardown, and a second deploy of the same name.
    await target.deploy(leftover, { timeoutMs: 60_000 });
    const after = await containersOf(leftover.name);
    expect(after).toHaveLength(2);
    expect(after.filter((container) => before.includes(container.Id))).toEqual([]);
    await docker.getContainer(`${leftover.name}-1`).stop({ t: 0 });

    const removed = await target.removeDeployment({ name: leftover.name });
    expect(removed.ok).toBe(true);
    expect(removed.action).toMatch(/^removed /);
    expect(await containersOf(leftover.name)).toEqual([]);
    expect((await target.removeDeployment({ name: leftover.name })).action).toMatch(/^nothing to remove/);
  });
});
