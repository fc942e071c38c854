import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import type { GameDayReport } from '../../src/gameday/game-day-report.js';
import { entriesOf } from '../../src/timeline/timeline.js';
import { readJournals } from '../../src/safety/journal.js';
import { dockerAvailable, enginesRequired } from './support/engines.js';
import { expectPostMortemStructure, STEPS, writeGameDay } from './support/game-day-files.js';
import { REBOUND_BIN, scratchDirectory } from './support/rebound-cli.js';
import { TmuxSession } from './support/tmux-session.js';
import { useDemoContainers } from './support/use-demo-containers.js';

// `rebound gameday` at a real terminal (tmux): preflight shown, a step confirmed with a note typed
// during its fault, a manual check skipped, the stop key pressed during a pause — the container
// unpaused within 1 s of the key (Docker's own unpause event time) — and the post-mortem says so.
const docker = new Docker();
const available = (await dockerAvailable()) && (await tmuxAvailable());
const demoContainers = useDemoContainers();

async function tmuxAvailable(): Promise<boolean> {
  if (await TmuxSession.available()) return true;
  if (enginesRequired) throw new Error('tmux is missing and engines are required here: bash scripts/setup.sh installs it');
  console.warn('skipping the game-day terminal test: no tmux (apt-get install tmux)');
  return false;
}

const paused = async (name: string) => (await docker.getContainer(name).inspect()).State.Paused;

async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The engine's own time of the next `unpause` of `name` (epoch ms, from the event's timeNano). */
async function nextUnpause(name: string): Promise<{ at: Promise<number>; close(): void }> {
  const stream = (await docker.getEvents({ filters: { container: [name], event: ['unpause'] } })) as NodeJS.ReadableStream & { destroy(): void };
  const at = new Promise<number>((resolve) => {
    let buffer = '';
    stream.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const line of buffer.split('\n').slice(0, -1)) resolve(Number((JSON.parse(line) as { timeNano: number }).timeNano) / 1e6);
      buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
    });
  });
  return { at, close: () => stream.destroy() };
}

describe.runIf(available)('rebound gameday at a terminal', () => {
  it('preflight, a confirmed step with a note, a skipped check, the stop key during a pause, the post-mortem', async () => {
    const demo = await demoContainers.start({ count: 1, restartPolicy: 'no' });
    const container = demo.names[0]!;
    const directory = scratchDirectory();
    const file = writeGameDay(directory, demo);
    const out = join(directory, 'out');
    const exitFile = join(directory, 'exit-code');
    const started = performance.now();
    const terminal = await TmuxSession.start(
      `rebound-test-${demo.suffix}`,
      `'${process.execPath}' '${REBOUND_BIN}' gameday '${file}' --out '${out}' --state-dir '${join(directory, 'state')}'; echo $? > '${exitFile}'; sleep 120`,
      { NO_COLOR: '1' },
    );
    try {
      const preflight = await terminal.waitFor('Enter start the game day');
      expect(preflight).toContain('Preflight');
      expect(preflight).toContain('✔ Docker engine reachable');
      expect(preflight).toContain(`+ ${container}`); // exactly what would be touched, as --dry-run shows it
      await terminal.send('Enter');

      // Step 1: go; a note typed while the container is paused; the hypothesis confirmed.
      await terminal.waitFor(`step 1/4: ${STEPS[0]}`);
      await terminal.send('Enter');
      await waitUntil(() => paused(container), 'the first pause');
      const noteTypedAt = Date.now();
      await terminal.send('n');
      await terminal.send('requests hang while paused', { literal: true });
      await terminal.send('Enter');
      await terminal.waitFor('note saved: requests hang while paused');
      await terminal.waitFor('did the hypothesis hold?');
      await terminal.send('y');
      await terminal.send('answered at unpause, as hoped', { literal: true });
      await terminal.send('Enter');

      // Step 2: a manual check, skipped.
      await terminal.waitFor(`step 2/4: ${STEPS[1]}`);
      await terminal.send('s');

      // Step 3: the stop key while the container is paused.
      await terminal.waitFor(`step 3/4: ${STEPS[2]}`);
      const unpause = await nextUnpause(container);
      await terminal.send('Enter');
      await waitUntil(() => paused(container), 'the second pause');
      // As on a real game day, the stop comes while the probe's requests hang in the paused container.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const keyAt = Date.now();
      await terminal.send('x');
      const unpausedAt = await Promise.race([unpause.at, new Promise<number>((_, reject) => setTimeout(() => reject(new Error('no unpause within 5 s of the stop key')), 5000))]);
      unpause.close();
      const latency = unpausedAt - keyAt;
      console.info(`stop key → unpause (Docker event timeNano): ${latency.toFixed(0)} ms`);
      expect(latency).toBeLessThan(1000);
      expect(await paused(container)).toBe(false);

      await waitUntil(async () => existsSync(exitFile), 'the end of rebound gameday', 30_000);
      console.info(`the terminal game day took ${((performance.now() - started) / 1000).toFixed(1)} s`);
      const screen = await terminal.screen();
      expect(screen).toContain('undone: pause: unpaused');
      expect(readFileSync(exitFile, 'utf8').trim(), screen).toBe('130');

      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as GameDayReport;
      expectPostMortemStructure(report);
      expect(report.mode).toBe('interactive');
      expect(report.outcome).toBe('stopped');
      expect(report.stop).toMatchObject({ by: 'the stop key (x)', step: 2 });
      expect(report.stop!.rollbackMs).toBeLessThan(1000);
      expect(report.steps.map((step) => step.status)).toEqual(['ran', 'skipped', 'stopped', 'not-run']);
      expect(report.steps[0]!.team).toMatchObject({ verdict: 'held', note: 'answered at unpause, as hoped', from: 'facilitator' });
      expect(report.steps[0]!.assertions.verdict).toBe('held');
      expect(report.steps[1]!.reason).toBe('skipped by the facilitator');

      // The note, where it was typed (± 1 s), also in the run's own timeline.
      const note = report.notes.find((candidate) => candidate.text === 'requests hang while paused')!;
      expect(note).toMatchObject({ step: 0, actionItem: false, from: 'facilitator' });
      expect(Math.abs(report.wallClockAtZero + note.t! - noteTypedAt)).toBeLessThan(1000);
      const run = report.runs[report.steps[0]!.runs[0]!]!;
      const inRun = entriesOf(run.timeline, 'note').find((entry) => entry.source === 'human');
      expect(inRun?.data.text).toBe('requests hang while paused');
      expect(Math.abs(run.wallClockAtZero + inRun!.t - noteTypedAt)).toBeLessThan(1000);

      const markdown = readFileSync(join(out, 'summary.md'), 'utf8');
      expect(markdown).toContain('STOPPED by the stop key (x)');
      expect(markdown).toContain('**note:** requests hang while paused');
      expect(markdown).toMatch(/\| 2 \| on-call-paged \| skipped \(skipped by the facilitator\)/);
      expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('requests hang while paused');
      expect(readJournals(join(directory, 'state')).every((journal) => journal.ended && journal.pending.length === 0)).toBe(true);
    } finally {
      await terminal.kill();
    }
  });
});
