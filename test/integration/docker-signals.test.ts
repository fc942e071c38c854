import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/experiments/run-result.js';
import { type DemoContainers, startDemoContainers } from './support/demo-containers.js';
import { dockerAvailable } from './support/engines.js';
import { rebound, scratchDirectory, writeExperiment } from './support/rebound-cli.js';

// SIGTERM while a fault is active: everything rolled back, the report written, exit 143.
const docker = new Docker();
const available = await dockerAvailable();
let demo: DemoContainers | undefined;

afterEach(async () => {
  await demo?.remove();
  demo = undefined;
});

const faults: Record<string, Record<string, unknown>> = {
  pause: { pause: { count: 1, duration: '50s' } },
  stop: { stop: { count: 1, timeout: '1s' } },
  kill: { kill: { count: 1 } },
};

describe.runIf(available)('SIGTERM during a Docker fault', () => {
  for (const [name, fault] of Object.entries(faults)) {
    it(`${name}: rolled back, report written, exit 143`, async () => {
      demo = await startDemoContainers({ count: 1, restartPolicy: 'no' });
      const directory = scratchDirectory();
      const file = writeExperiment(directory, name, {
        apiVersion: 'rebound/v1',
        kind: 'Experiment',
        metadata: { name: `sigterm-${name}` },
        target: 'docker',
        system: { selector: { 'rebound.dev/test': demo.suffix }, url: `http://127.0.0.1:${demo.ports[0]}/` },
        duration: '60s',
        faults: [{ ...fault, at: '1s' }],
      });
      const child = rebound(['run', file, '--reporter', `json=${join(directory, 'r.json')}`]);
      const deadline = Date.now() + 20_000;
      for (;;) {
        const state = (await docker.getContainer(demo.names[0]!).inspect()).State;
        if (state.Paused || !state.Running) break;
        if (Date.now() > deadline) throw new Error(`the ${name} fault never took effect`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      child.kill('SIGTERM');
      const result = await child;
      expect(result.exitCode, result.all).toBe(143);
      const state = (await docker.getContainer(demo.names[0]!).inspect()).State;
      expect(state.Running && !state.Paused).toBe(true);
      const run = (JSON.parse(readFileSync(join(directory, 'r.json'), 'utf8')) as RunReport).runs[0]!;
      expect(run.outcome).toBe('interrupted');
      expect(run.rollbacks).toHaveLength(1);
      expect(run.rollbacks[0]!.ok).toBe(true);
    });
  }
});
