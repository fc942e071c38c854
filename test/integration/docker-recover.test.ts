import { join } from 'node:path';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { dockerAvailable } from './support/engines.js';
import { rebound, scratchDirectory, writeExperiment } from './support/rebound-cli.js';
import { useDemoContainers } from './support/use-demo-containers.js';

// kill -9 of rebound while a container is paused: nothing in rebound can unpause it, the journal
// can. `rebound recover` reads it, unpauses, and a second recover finds nothing left to do.
const docker = new Docker();
const available = await dockerAvailable();
const demoContainers = useDemoContainers();

describe.runIf(available)('rebound recover after kill -9 (Docker)', () => {
  it('a container paused by a killed run is unpaused by recover; recover twice changes nothing the second time', async () => {
    const demo = await demoContainers.start({ count: 1, restartPolicy: 'no' });
    const directory = scratchDirectory();
    const state = join(directory, 'state');
    const file = writeExperiment(directory, 'pause-killed', {
      apiVersion: 'rebound/v1',
      kind: 'Experiment',
      metadata: { name: 'pause-then-kill-9' },
      target: 'docker',
      system: { selector: { 'rebound.dev/test': demo.suffix }, url: `http://127.0.0.1:${demo.ports[0]}/` },
      duration: '60s',
      faults: [{ pause: { count: 1, duration: '50s' }, at: '1s' }],
    });
    const child = rebound(['run', file, '--state-dir', state]);
    const container = docker.getContainer(demo.names[0]!);
    const deadline = Date.now() + 20_000;
    while (!(await container.inspect()).State.Paused) {
      if (Date.now() > deadline) throw new Error('the pause never took effect');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.kill('SIGKILL');
    await child;
    expect((await container.inspect()).State.Paused, 'a killed rebound cannot roll back').toBe(true);

    const first = await rebound(['recover', '--state-dir', state]);
    expect(first.exitCode, first.all).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`undone: .*${demo.names[0]}`));
    const after = (await container.inspect()).State;
    expect(after.Running && !after.Paused).toBe(true);

    const second = await rebound(['recover', '--state-dir', state]);
    expect(second.exitCode, second.all).toBe(0);
    expect(second.stdout).toMatch(/nothing to recover/);
    expect((await container.inspect()).State.Running).toBe(true);
  });
});
