import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/run/run-result.js';
import { DEMO_IMAGE, freeLoopbackPort } from './support/demo-containers.js';
import { dockerAvailable } from './support/engines.js';
import { rebound, scratchDirectory, writeExperiment } from './support/rebound-cli.js';

// `setup` / `teardown` for users who bring their own system: commands run without a shell, the
// experiment runs against what they made, and teardown runs whatever happened.
const docker = new Docker();
const available = await dockerAvailable();
const made: string[] = [];

afterEach(async () => {
  for (const name of made.splice(0)) await docker.getContainer(name).remove({ force: true }).catch(() => undefined);
});

const exists = async (name: string) => docker.getContainer(name).inspect().then(() => true, () => false);

describe.runIf(available)('setup and teardown commands (Docker)', () => {
  it('setup starts the system with docker run, the run uses it, teardown removes it', async () => {
    const name = `rebound-setup-${randomBytes(4).toString('hex')}`;
    made.push(name);
    const port = await freeLoopbackPort();
    const directory = scratchDirectory();
    const file = writeExperiment(directory, 'setup', {
      apiVersion: 'rebound/v1',
      kind: 'Experiment',
      metadata: { name: 'bring-your-own' },
      target: 'docker',
      setup: [{ run: ['docker', 'run', '-d', '--name', name, '--restart', 'always', '-l', `app=${name}`, '-l', 'rebound.dev/chaos=enabled', '-p', `127.0.0.1:${port}:8080`, DEMO_IMAGE] }],
      teardown: [{ run: ['docker', 'rm', '-f', name] }],
      system: { selector: { app: name }, url: `http://127.0.0.1:${port}/` },
      duration: '8s',
      faults: [{ crash: { count: 1 }, at: '2s' }],
      assertions: [{ recoveryTime: { max: '5s' } }],
    });
    const result = await rebound(['run', file, '--reporter', `json=${join(directory, 'r.json')}`, '--state-dir', join(directory, 'state')]);
    expect(result.exitCode, result.all).toBe(0);
    const run = (JSON.parse(readFileSync(join(directory, 'r.json'), 'utf8')) as RunReport).runs[0]!;
    expect(run.plan.instances.map((instance) => instance.name)).toEqual([name]);
    expect(await exists(name), 'teardown removed it').toBe(false);
  });

  it('a failing setup command stops before anything runs (exit 3, which command and why), and teardown still runs', async () => {
    const name = `rebound-setup-${randomBytes(4).toString('hex')}`;
    made.push(name);
    const directory = scratchDirectory();
    const file = writeExperiment(directory, 'setup-fails', {
      apiVersion: 'rebound/v1',
      kind: 'Experiment',
      metadata: { name: 'setup-fails' },
      target: 'docker',
      setup: [
        { run: ['docker', 'run', '-d', '--name', name, DEMO_IMAGE] },
        { run: ['docker', 'run', '--rm', '--pull', 'never', 'rebound/no-such-image:v0'] },
      ],
      teardown: [{ run: ['docker', 'rm', '-f', name] }],
      system: { selector: { app: name } },
      duration: '5s',
      faults: [{ crash: { count: 1 }, at: '1s' }],
    });
    const result = await rebound(['run', file, '--state-dir', join(directory, 'state')]);
    expect(result.exitCode, result.all).toBe(3);
    expect(result.stderr).toMatch(/setup command failed: docker run --rm --pull never rebound\/no-such-image:v0: exit 125/);
    expect(await exists(name), 'the teardown command ran after the failed setup').toBe(false);
  });
});
