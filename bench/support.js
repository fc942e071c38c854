// Shared by the benchmarks: a demo container on loopback, result files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import Docker from 'dockerode';

export const docker = new Docker();

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A demo-app container published on 127.0.0.1; remove() when done. */
export async function startDemo(restartPolicy = 'no') {
  const port = await freePort();
  const container = await docker.createContainer({
    Image: 'rebound/demo-app:v1',
    Labels: { 'rebound.dev/bench': '1', 'rebound.dev/chaos': 'enabled' },
    ExposedPorts: { '8080/tcp': {} },
    HostConfig: { PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] }, RestartPolicy: { Name: restartPolicy } },
  });
  await container.start();
  for (let i = 0; i < 100 && (await container.inspect()).State.Health?.Status !== 'healthy'; i++) await new Promise((r) => setTimeout(r, 100));
  return { container, port, url: `http://127.0.0.1:${port}/`, remove: () => container.remove({ force: true }) };
}

export function writeResult(name, data) {
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL(`./results/${name}.json`, import.meta.url), `${JSON.stringify(data, null, 2)}\n`);
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = (sorted.length - 1) / 2;
  return (sorted[Math.floor(mid)] + sorted[Math.ceil(mid)]) / 2;
};
