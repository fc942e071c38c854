import { resolve } from 'node:path';
import { loadGameDay } from '../../experiments/load-game-day.js';
import { loadNotesFile } from '../../experiments/load-notes-file.js';
import type { Facilitator } from '../../gameday/facilitator.js';
import { gameDayExitCode } from '../../gameday/game-day-exit-code.js';
import { runGameDay } from '../../gameday/run-game-day.js';
import { guardSignals } from '../../safety/signals.js';
import { PlainFacilitator } from '../gameday/plain-facilitator.js';
import { openReporters } from '../open-reporters.js';
import { parseReporterList } from '../../reporters/catalog.js';
import { TargetCache } from '../target-cache.js';
import { version } from '../version.js';

export interface GameDayArgs {
  file: string;
  yes: boolean;
  notes?: string;
  reporter?: string[];
  out?: string;
  stateDir: string;
  allowUnlabelled: boolean;
  kubeconfig?: string;
  context?: string;
}

/** Without --reporter: the post-mortem in Markdown, HTML and JSON, here. */
export const DEFAULT_GAME_DAY_OUT = 'out/gameday';
const DEFAULT_REPORTERS = ['markdown', 'html', 'json'];

/**
 * `rebound gameday <file>`: the game day at a terminal (keys, a live view), or with --yes / without
 * a TTY the same steps in order with no prompts (a rehearsal in CI). Everything is validated first:
 * the game day, every experiment it names, the notes file, the reporters.
 */
export async function gameDayCommand(argv: GameDayArgs): Promise<number> {
  const gameDay = await loadGameDay(argv.file);
  const notes = argv.notes === undefined ? undefined : await loadNotesFile(argv.notes, gameDay);
  if (argv.allowUnlabelled) for (const step of gameDay.steps) if (step.kind === 'experiment') step.experiment.safety.optInLabel = false;
  const specs = argv.reporter ?? DEFAULT_REPORTERS;
  const out = argv.out ?? (argv.reporter === undefined ? DEFAULT_GAME_DAY_OUT : undefined);
  const files = parseReporterList(specs, out).flatMap((spec) => (spec.file === undefined ? [] : [resolve(spec.file)]));
  const reporters = await openReporters(specs, out);

  const interactive = !argv.yes && process.stdin.isTTY === true && process.stdout.isTTY === true;
  if (!argv.yes && !interactive) process.stderr.write('rebound: not a terminal: running the game day non-interactively, as with --yes (every step in order, no prompts)\n');
  const facilitator: Facilitator = interactive ? new (await import('../gameday/terminal-facilitator.js')).TerminalFacilitator() : new PlainFacilitator(notes?.answers);
  const signals = guardSignals((line) => process.stderr.write(`\nrebound: ${line}\n`));
  const targets = new TargetCache({ ...(argv.kubeconfig && { kubeconfig: argv.kubeconfig }), ...(argv.context && { context: argv.context }) });
  let report;
  try {
    report = await runGameDay({ gameDay, facilitator, targets, stateDir: argv.stateDir, signal: signals.signal, scheduledNotes: notes?.notes ?? [], version });
  } finally {
    facilitator.close();
    reporters.close();
    await targets.close();
    signals.dispose();
  }
  await reporters.finishGameDay(report);
  const lines = [`game day ${report.outcome}${report.stop ? ` (stopped by ${report.stop.by})` : ''}: ${report.steps.map((step) => `${step.name} ${step.status}`).join(', ')}`];
  if (files.length > 0) lines.push(`post-mortem: ${files.join(', ')}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return gameDayExitCode(report);
}
