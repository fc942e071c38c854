import type { CheckStep, ExperimentStep, GameDayStep } from '../../experiments/load-game-day.js';
import type { NotesFile } from '../../experiments/load-notes-file.js';
import type { Facilitator, FacilitatorAnswer, StepDecision, StepView } from '../../gameday/facilitator.js';
import type { AssertionsVerdict, Preflight } from '../../gameday/game-day-report.js';
import { LiveFigures } from '../../gameday/live-figures.js';
import { printable } from '../../reporters/format.js';
import { eventLine, liveLines, preflightLines, stepLines } from './live-lines.js';

/** Without a terminal the live figures are a line every this often (and a line per fault event). */
const STATUS_EVERY_MS = 5000;

/**
 * The game day without anyone at a keyboard (--yes, or no TTY, as in CI): no prompts, every step
 * in order, plain lines only; the team's answers come from the notes file, if any. Ctrl-C and
 * SIGTERM stop it as they stop `rebound run`.
 */
export class PlainFacilitator implements Facilitator {
  readonly mode = 'non-interactive' as const;

  constructor(
    private readonly answers: NotesFile['answers'] = {},
    private readonly output: NodeJS.WritableStream = process.stdout,
  ) {}

  attach(): void {
    // No keys: notes come from the notes file, the stop is a signal.
  }

  showPreflight(preflight: Preflight): void {
    this.write(preflightLines(preflight));
  }

  async confirmStart(): Promise<boolean> {
    return true;
  }

  async beforeStep(step: GameDayStep, total: number): Promise<StepDecision> {
    this.write(['', ...stepLines(step, total)]);
    return 'go';
  }

  showCheck(step: CheckStep): void {
    this.write([`  ☐ manual check (no one to ask: answered from the notes file, if it says): ${printable(step.check)}`]);
  }

  stepView(step: ExperimentStep): StepView {
    const figures = new LiveFigures({ settleMs: step.experiment.settle, probeTimeoutMs: step.experiment.probe.timeout });
    let zero: number | undefined;
    let durationMs: number | undefined;
    const status = () => {
      if (zero !== undefined) this.write(liveLines(step, figures.snapshot(performance.now() - zero), durationMs));
    };
    const timer = setInterval(status, STATUS_EVERY_MS);
    return {
      onRunStart: (info) => {
        durationMs = info.durationMs;
      },
      onEntry: (entry) => {
        if (entry.kind === 'run-started') zero = performance.now() - entry.t;
        figures.add(entry);
        const line = eventLine(entry);
        if (line) this.write([line]);
      },
      onRunEnd: (result) => {
        status();
        this.write([`■ ${result.experiment.name}: ${result.outcome}${result.reason ? ` (${printable(result.reason)})` : ''}`]);
        zero = undefined;
      },
      close: () => clearInterval(timer),
    };
  }

  async askHypothesis(step: GameDayStep, assertions: { verdict: AssertionsVerdict; text: string }): Promise<FacilitatorAnswer | undefined> {
    const answer = this.answers[step.name];
    this.write([`  assertions: ${assertions.verdict} — ${printable(assertions.text)}`, `  the team says: ${answer ? `${answer.verdict}${answer.note ? ` — ${printable(answer.note)}` : ''} (notes file)` : 'not asked (non-interactive)'}`]);
    return answer && { verdict: answer.verdict, ...(answer.note !== undefined && { note: answer.note }), from: 'notes file' };
  }

  say(line: string): void {
    this.write([printable(line)]);
  }

  close(): void {
    // Nothing to give back: no raw mode, no live region.
  }

  private write(lines: string[]): void {
    this.output.write(`${lines.join('\n')}\n`);
  }
}
