import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../../../src/experiments/load-experiment.js';
import { releaseNotes, releaseSystem } from '../../../src/run/release-system.js';

// The end of a run and `rebound teardown` share this: the deployment's removal, then every teardown command.
const experiment = parseExperiment(`apiVersion: rebound/v1
kind: Experiment
metadata: { name: web }
system: { selector: { app: web } }
faults: [{ crash: { count: 1 } }]
teardown:
  - run: ["${process.execPath}", "-e", "process.exit(0)"]
  - run: ["${process.execPath}", "-e", "console.log('busy'); process.exit(3)"]
    target: docker
  - run: ["${process.execPath}", "-e", "process.exit(4)"]
    target: kubernetes
`);
const file = join(mkdtempSync(join(tmpdir(), 'rebound-release-unit-')), 'web.yaml');
writeFileSync(file, '');

describe('releaseSystem', () => {
  it('removes the deployment, then runs each command for the target even after a failure; the notes say what failed', async () => {
    const release = await releaseSystem(experiment, file, 'docker', async () => ({ ok: false, action: 'remove web-0', error: 'device busy' }));
    expect(release.ok).toBe(false);
    expect(releaseNotes(release.steps)).toEqual([
      'teardown FAILED: remove web-0 (device busy)',
      `teardown command: ${process.execPath} -e process.exit(0)`,
      `teardown command FAILED: ${process.execPath} -e console.log('busy'); process.exit(3): exit 3 — busy`,
    ]);
  });

  it('a removal that throws is a failed step, not an exception; without a deployment only the commands run', async () => {
    const thrown = await releaseSystem(experiment, file, 'kubernetes', async () => {
      throw new Error('API gone');
    });
    expect(thrown.steps[0]).toEqual({ step: 'deployment', ok: false, text: 'teardown (API gone)' });
    const commandsOnly = await releaseSystem(experiment, file, 'kubernetes');
    expect(commandsOnly.steps.map((step) => [step.step, step.ok])).toEqual([['command', true], ['command', false]]);
  });
});
