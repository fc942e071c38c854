import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { GameDayReport } from '../../src/gameday/game-day-report.js';
import { readJournals } from '../../src/safety/journal.js';
import { dockerAvailable } from './support/engines.js';
import { expectPostMortemStructure, STEPS, writeGameDay } from './support/game-day-files.js';
import { faultInEffect } from './support/kill-during-fault.js';
import { rebound, scratchDirectory } from './support/rebound-cli.js';
import { useDemoContainers } from './support/use-demo-containers.js';

// The same game day with --yes and no TTY, as in CI: every step in order, notes and answers from a
// notes file, the same post-mortem. Preflight refuses a game day whose system is not there, and a
// game day killed with -9 leaves a journal that `rebound recover` undoes.
const docker = new Docker();
const available = await dockerAvailable();
const demoContainers = useDemoContainers();

describe.runIf(available)('rebound gameday --yes (no TTY)', () => {
  it('runs every step in order with the notes file and writes the same post-mortem', async () => {
    const demo = await demoContainers.start({ count: 1, restartPolicy: 'no' });
    const directory = scratchDirectory();
    const file = writeGameDay(directory, demo);
    const notes = join(directory, 'notes.yaml');
    writeFileSync(
      notes,
      stringify({
        notes: [
          { at: '2s', step: STEPS[0], text: 'requests hang while paused' },
          { at: '1s', step: STEPS[2], text: '! alert on hanging requests sooner' },
        ],
        answers: { [STEPS[0]]: { verdict: 'held', note: 'as hoped' }, [STEPS[1]]: { verdict: 'unsure' } },
      }),
    );
    const out = join(directory, 'out');
    const started = performance.now();
    const result = await rebound(['gameday', file, '--yes', '--notes', notes, '--out', out, '--state-dir', join(directory, 'state')]);
    console.info(`the --yes game day took ${((performance.now() - started) / 1000).toFixed(1)} s`);
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toContain('Preflight');
    expect(result.stdout).toContain(`step 1/4: ${STEPS[0]}`);
    expect(result.stdout).not.toContain('Enter'); // no prompts

    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as GameDayReport;
    expectPostMortemStructure(report);
    expect(report.mode).toBe('non-interactive');
    expect(report.outcome).toBe('completed');
    expect(report.steps.map((step) => step.status)).toEqual(['ran', 'ran', 'ran', 'ran']);
    expect(report.steps.map((step) => step.assertions.verdict)).toEqual(['held', 'none', 'held', 'none']);
    expect(report.steps[0]!.team).toMatchObject({ verdict: 'held', note: 'as hoped', from: 'notes file' });
    expect(report.steps[1]!.team).toMatchObject({ verdict: 'unsure' });
    expect(report.steps[2]!.team).toBeUndefined();

    // A step-relative note lands at that step's run t = 0 plus its `at`, on the game day's clock and in the run's timeline.
    const run = report.runs[report.steps[0]!.runs[0]!]!;
    const note = report.notes.find((candidate) => candidate.text === 'requests hang while paused')!;
    expect(note.t! + report.wallClockAtZero - run.wallClockAtZero).toBeCloseTo(2000, 0);
    expect(run.timeline.some((entry) => entry.kind === 'note' && entry.source === 'human' && entry.t === 2000)).toBe(true);
    expect(report.notes.filter((candidate) => candidate.actionItem).map((candidate) => candidate.text)).toEqual(['alert on hanging requests sooner']);
    const markdown = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(markdown).toContain('## Action items');
    expect(markdown).toContain('- [ ] alert on hanging requests sooner');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('alert on hanging requests sooner');
  });

  it('refuses to start when preflight fails, saying what to fix (exit 3)', async () => {
    const directory = scratchDirectory();
    const file = writeGameDay(directory, { suffix: 'nobody-has-this-label', names: [], ports: [18999], remove: async () => undefined });
    const result = await rebound(['gameday', file, '--yes', '--out', join(directory, 'out'), '--state-dir', join(directory, 'state')]);
    expect(result.exitCode, result.all).toBe(3);
    expect(result.stdout).toContain('Preflight');
    expect(result.stdout).toContain('✘ step 1 watch-a-pause on docker: no instance matches system.selector — start the system (or fix system.selector) before the game day');
    const report = JSON.parse(readFileSync(join(directory, 'out', 'report.json'), 'utf8')) as GameDayReport;
    expect(report.outcome).toBe('refused');
    expect(report.runs).toEqual([]);
  });

  it('kill -9 during a step leaves a journal that rebound recover undoes', async () => {
    const demo = await demoContainers.start({ count: 1, restartPolicy: 'no' });
    const directory = scratchDirectory();
    const state = join(directory, 'state');
    const file = writeGameDay(directory, demo);
    const child = rebound(['gameday', file, '--yes', '--out', join(directory, 'out'), '--state-dir', state]);
    const deadline = Date.now() + 30_000;
    while (!faultInEffect(state)) {
      if (Date.now() > deadline) throw new Error('no fault in effect within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGKILL');
    await child;
    expect((await docker.getContainer(demo.names[0]!).inspect()).State.Paused, 'left paused by the killed game day').toBe(true);
    expect(readJournals(state).some((journal) => !journal.ended && journal.pending.length === 1)).toBe(true);

    const recovered = await rebound(['recover', '--state-dir', state]);
    expect(recovered.exitCode, recovered.all).toBe(0);
    expect(recovered.stdout).toMatch(/undone: unpaused/);
    expect((await docker.getContainer(demo.names[0]!).inspect()).State.Paused).toBe(false);
    expect(readJournals(state).every((journal) => journal.pending.length === 0)).toBe(true);
    expect((await rebound(['recover', '--state-dir', state])).stdout).toContain('nothing to recover');
  });
});
