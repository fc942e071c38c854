import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import Docker from 'dockerode';

export const DEMO_IMAGE = process.env.REBOUND_DEMO_IMAGE ?? 'rebound/demo-app:v1';

export interface DemoContainers {
  /** Unique label value shared by the containers: select them with { 'rebound.dev/test': suffix }. */
  suffix: string;
  names: string[];
  /** Host ports on 127.0.0.1 mapped to each container's 8080. */
  ports: number[];
  remove(): Promise<void>;
}

export interface DemoContainersOptions {
  count: number;
  restartPolicy?: 'no' | 'always' | 'on-failure' | 'unless-stopped';
  /** on-failure:N */
  maximumRetryCount?: number;
  optIn?: boolean;
  labels?: Record<string, string>;
  /** Limits of each container (docker run --cpus / --memory, no swap). */
  resources?: { cpus?: number; memoryBytes?: number };
}

/** Starts `count` demo containers with a unique label, opted in to chaos, published on loopback. */
export async function startDemoContainers(options: DemoContainersOptions): Promise<DemoContainers> {
  const docker = new Docker();
  const suffix = randomBytes(4).toString('hex');
  const names: string[] = [];
  const ports: number[] = [];
  const remove = async () => {
    const leftovers = await docker.listContainers({ all: true, filters: { label: [`rebound.dev/test=${suffix}`] } });
    await Promise.all(leftovers.map((container) => docker.getContainer(container.Id).remove({ force: true })));
  };
  try {
    for (let index = 0; index < options.count; index++) {
      const name = `rebound-test-${suffix}-${index}`;
      // A fixed host port: Docker allocates a new ephemeral port each time a container starts, so a
      // restarted container would not answer on the old one.
      const port = await freeLoopbackPort();
      const container = await docker.createContainer({
        name,
        Image: DEMO_IMAGE,
        Labels: {
          'rebound.dev/test': suffix,
          ...(options.optIn !== false && { 'rebound.dev/chaos': 'enabled' }),
          ...options.labels,
        },
        ExposedPorts: { '8080/tcp': {} },
        HostConfig: {
          PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] },
          RestartPolicy: { Name: options.restartPolicy ?? 'no', ...(options.maximumRetryCount !== undefined && { MaximumRetryCount: options.maximumRetryCount }) },
          ...(options.resources?.cpus !== undefined && { NanoCpus: Math.round(options.resources.cpus * 1e9) }),
          ...(options.resources?.memoryBytes !== undefined && { Memory: options.resources.memoryBytes, MemorySwap: options.resources.memoryBytes }),
        },
      });
      await container.start();
      names.push(name);
      ports.push(port);
    }
    await waitHealthy(docker, names);
  } catch (error) {
    // Half started (a create failed, one never got healthy): nothing of it outlives the failure.
    await remove().catch(() => undefined);
    throw error;
  }
  return {
    suffix,
    names,
    ports,
    remove,
  };
}

/** Waits (30 s at most) until every named container reports healthy. */
export async function waitHealthy(docker: Docker, names: string[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (const name of names) {
    while ((await docker.getContainer(name).inspect()).State.Health?.Status !== 'healthy') {
      if (Date.now() > deadline) throw new Error(`${name} did not become healthy within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** A port nobody listens on right now on 127.0.0.1. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
