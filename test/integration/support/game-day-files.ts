import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { expect } from 'vitest';
import type { GameDayReport } from '../../../src/gameday/game-day-report.js';
import type { DemoContainers } from './demo-containers.js';

/** Step names of the game day both game-day tests run, in order. */
export const STEPS = ['watch-a-pause', 'on-call-paged', 'long-pause', 'after-the-stop'] as const;

/**
 * The game day of the terminal and the --yes tests, on one demo container: a pause the team
 * watches (a note typed during it, the hypothesis confirmed), a manual check (skipped at the
 * terminal), a longer pause (stopped with x at the terminal) and a step the stop leaves unrun.
 */
export function writeGameDay(directory: string, demo: DemoContainers): string {
  const file = join(directory, 'game-day.yaml');
  writeFileSync(
    file,
    stringify({
      apiVersion: 'rebound/v1',
      kind: 'GameDay',
      metadata: { name: 'test-game-day', description: 'the integration tests\' game day' },
      title: 'Test game day',
      team: [
        { name: 'Ada', role: 'facilitator' },
        { name: 'Grace', role: 'on-call' },
      ],
      target: 'docker',
      defaults: {
        system: { selector: { 'rebound.dev/test': demo.suffix }, url: `http://127.0.0.1:${demo.ports[0]}/` },
        probe: { rate: '20/s', timeout: '1s' },
        until: 'recovered',
      },
      steps: [
        { name: STEPS[0], hypothesis: 'requests hang while the container is paused and are answered when it is unpaused', faults: [{ pause: { count: 1, duration: '3s' }, at: '1s' }], duration: '12s', assertions: [{ recoveryTime: { max: '8s' } }] },
        { name: STEPS[1], hypothesis: 'the on-call was paged', check: 'Ask the on-call whether the pager went off' },
        { name: STEPS[2], title: 'a longer pause', hypothesis: 'the same, for longer', faults: [{ pause: { count: 1, duration: '5s' }, at: '1s' }], duration: '14s', assertions: [{ recoveryTime: { max: '10s' } }] },
        { name: STEPS[3], hypothesis: 'a short pause after everything else', faults: [{ pause: { count: 1, duration: '1s' }, at: '500ms' }], duration: '8s' },
      ],
    }),
  );
  return file;
}

/** What every post-mortem holds, whichever way the game day ran (terminal or --yes). */
export function expectPostMortemStructure(report: GameDayReport): void {
  expect(Object.keys(report).sort()).toEqual(expect.arrayContaining(['durationMs', 'events', 'gameDay', 'mode', 'notes', 'outcome', 'preflight', 'runs', 'startedAt', 'steps', 'tool', 'wallClockAtZero']));
  expect(report.gameDay.team).toEqual([
    { name: 'Ada', role: 'facilitator' },
    { name: 'Grace', role: 'on-call' },
  ]);
  expect(report.preflight.ok).toBe(true);
  expect(report.preflight.checks.map((check) => check.check)).toEqual(['state dir writable', 'Docker engine reachable', `step 1 ${STEPS[0]} on docker`, `step 3 ${STEPS[2]} on docker`, `step 4 ${STEPS[3]} on docker`]);
  expect(report.steps.map((step) => step.name)).toEqual([...STEPS]);
  for (const step of report.steps) {
    expect(Object.keys(step)).toEqual(expect.arrayContaining(['index', 'name', 'kind', 'hypothesis', 'status', 'runs', 'assertions', 'notes', 'rollbacks']));
    for (const index of step.runs) expect(report.runs[index]!.experiment.name).toBe(step.name);
  }
  expect(report.events[0]!.kind).toBe('started');
}
