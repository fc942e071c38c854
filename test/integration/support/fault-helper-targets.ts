import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import Docker from 'dockerode';
import { afterEach } from 'vitest';
import { FAULT_TOOLS_IMAGE, runHelperCommand } from '../../../src/targets/docker/fault-helpers.js';
import { DEMO_IMAGE } from './demo-containers.js';

/** The label on every container these tests start, so a killed run's leftovers can be found. */
export const HELPER_TEST_LABEL = 'rebound.dev/test';

export interface TargetContainer {
  id: string;
  name: string;
  /** Its address on the Docker bridge: the tests talk to it directly (no docker-proxy in between). */
  ip: string;
}

export interface TargetOptions {
  cpus?: number;
  memoryBytes?: number;
  restart?: 'no' | 'always';
  /** Default: the demo app. */
  image?: string;
  command?: string[];
}

/** Starts demo / sink containers for a test file; every one of them is removed after each test. */
export function useTargetContainers(): { start(options?: TargetOptions): Promise<TargetContainer>; docker: Docker } {
  const docker = new Docker();
  const suffix = randomBytes(4).toString('hex');
  afterEach(async () => {
    const leftovers = await docker.listContainers({ all: true, filters: { label: [`${HELPER_TEST_LABEL}=${suffix}`] } });
    await Promise.all(leftovers.map((container) => docker.getContainer(container.Id).remove({ force: true })));
  });
  let count = 0;
  return {
    docker,
    async start(options: TargetOptions = {}) {
      const name = `rebound-test-${suffix}-${count++}`;
      const container = await docker.createContainer({
        name,
        Image: options.image ?? DEMO_IMAGE,
        ...(options.command && { Cmd: options.command }),
        Labels: { [HELPER_TEST_LABEL]: suffix },
        HostConfig: {
          RestartPolicy: { Name: options.restart ?? 'no' },
          ...(options.cpus !== undefined && { NanoCpus: Math.round(options.cpus * 1e9) }),
          ...(options.memoryBytes !== undefined && { Memory: options.memoryBytes, MemorySwap: options.memoryBytes }),
        },
      });
      await container.start();
      const info = await container.inspect();
      const target = { id: info.Id, name, ip: info.NetworkSettings.Networks.bridge?.IPAddress ?? '' };
      if (!options.image) await waitAnswering(target.ip);
      return target;
    },
  };
}

/** The sink / source image of the bandwidth tests: fault-tools has netcat-openbsd. */
export const TOOLS_IMAGE = FAULT_TOOLS_IMAGE;

export interface Answer {
  ok: boolean;
  ms: number;
  error?: string;
}

/** One GET on a new connection (agent: false), timed on the monotonic clock. */
export function getOnce(url: string, options: { agent?: import('node:http').Agent; timeoutMs?: number } = {}): Promise<Answer> {
  const start = performance.now();
  return new Promise((resolve) => {
    const req = request(url, { agent: options.agent ?? false, timeout: options.timeoutMs ?? 3000 }, (response) => {
      response.resume();
      response.on('end', () => resolve({ ok: response.statusCode === 200, ms: performance.now() - start }));
      response.on('error', (error) => resolve({ ok: false, ms: performance.now() - start, error: error.message }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, ms: performance.now() - start, error: error.code ?? error.message }));
    req.end();
  });
}

export async function waitAnswering(ip: string, port = 8080): Promise<void> {
  const deadline = performance.now() + 20_000;
  while (performance.now() < deadline) {
    if ((await getOnce(`http://${ip}:${port}/`, { timeoutMs: 1000 })).ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing answers on http://${ip}:${port}/ within 20 s`);
}

export const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : sorted[Math.floor((sorted.length - 1) / 2)]!;
};

/**
 * Runs a watcher in the target's network namespace that prints the epoch ms at which `grep -q
 * pattern` on `iptables-nft-save` + `tc qdisc show` first fails (the fault is gone), polling every
 * 20 ms; started before the deadline, it measures when the rules really went away.
 */
export function watchUntilGone(docker: Docker, target: string, pattern: string, timeoutS: number): Promise<number> {
  const script = `end=$(( $(date +%s) + ${timeoutS} )); while [ "$(date +%s)" -lt "$end" ]; do if ! { iptables-nft-save; tc qdisc show; ip -o link; } 2>/dev/null | grep -q -- '${pattern}'; then date +%s%3N; exit 0; fi; sleep 0.02; done; echo timeout; exit 1`;
  return runHelperCommand(docker, { target, join: { network: true }, command: ['bash', '-c', script], timeoutMs: (timeoutS + 10) * 1000 }).then((result) => {
    const epochMs = Number(result.stdout.trim());
    if (result.exitCode !== 0 || !Number.isFinite(epochMs)) throw new Error(`the watcher in ${target} saw "${pattern}" stay for ${timeoutS} s: ${result.stdout} ${result.stderr}`);
    return epochMs;
  });
}
