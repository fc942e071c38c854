import { emitKeypressEvents } from 'node:readline';
import { createLogUpdate } from 'log-update';
import type { CheckStep, ExperimentStep, GameDayStep } from '../../experiments/load-game-day.js';
import type { Facilitator, FacilitatorAnswer, GameDayControls, StepDecision, StepView } from '../../gameday/facilitator.js';
import type { AssertionsVerdict, Preflight, TeamVerdict } from '../../gameday/game-day-report.js';
import { LiveFigures } from '../../gameday/live-figures.js';
import { printable } from '../../reporters/format.js';
import { editLine, type Key, keyAction, type KeyMode } from './key-actions.js';
import { eventLine, liveLines, preflightLines, stepLines } from './live-lines.js';

/** The live view redraws this often while a step runs. */
const REDRAW_MS = 250;
const KEYS: Record<KeyMode, string> = {
  'confirm-start': 'Enter start the game day · q quit · n note',
  'before-step': 'Enter go · s skip · q end the game day · n note · x stop',
  running: 'n note · x STOP: roll back everything · Ctrl-C same',
  answer: 'did the hypothesis hold? y yes · n no · u unsure · x stop',
  idle: 'n note · x stop',
};

interface Typing {
  text: string;
  /** Game-day t of its first key. */
  startedAt: number;
  prompt: string;
  submit(text: string, startedAt: number): void;
}

/**
 * The facilitator at a terminal: keys read raw (Node's readline keypress events), one live region
 * redrawn in place (log-update) above the prompt, everything that stays true written above it.
 */
export class TerminalFacilitator implements Facilitator {
  readonly mode = 'interactive' as const;
  private controls!: GameDayControls;
  private readonly log: ReturnType<typeof createLogUpdate>;
  private keyMode: KeyMode = 'idle';
  private typing: Typing | undefined;
  private live: (() => string[]) | undefined;
  private waiting: ((action: ReturnType<typeof keyAction>) => void) | undefined;
  private closed = false;
  private readonly onKey = (sequence: string | undefined, key: Key | undefined) => this.key(key ?? { sequence, name: sequence });

  constructor(
    private readonly input: NodeJS.ReadStream = process.stdin,
    output: NodeJS.WriteStream = process.stdout,
  ) {
    this.log = createLogUpdate(output, { showCursor: true });
    emitKeypressEvents(input);
    input.setRawMode(true);
    input.on('keypress', this.onKey);
    input.resume();
  }

  attach(controls: GameDayControls): void {
    this.controls = controls;
  }

  showPreflight(preflight: Preflight): void {
    this.persist(preflightLines(preflight));
  }

  async confirmStart(signal: AbortSignal): Promise<boolean> {
    const action = await this.wait('confirm-start', signal, ['go', 'quit']);
    return action?.do === 'go';
  }

  async beforeStep(step: GameDayStep, total: number, signal: AbortSignal): Promise<StepDecision> {
    this.persist(['', ...stepLines(step, total)]);
    const action = await this.wait('before-step', signal, ['go', 'skip', 'quit']);
    return action?.do === 'go' || action?.do === 'skip' ? action.do : 'quit';
  }

  showCheck(step: CheckStep): void {
    this.persist([`  ☐ check now: ${printable(step.check)}`]);
  }

  stepView(step: ExperimentStep): StepView {
    const figures = new LiveFigures({ settleMs: step.experiment.settle, probeTimeoutMs: step.experiment.probe.timeout });
    let zero: number | undefined;
    let durationMs: number | undefined;
    this.keyMode = 'running';
    this.live = () => (zero === undefined ? [`▶ step ${step.index + 1} ${step.name} · ${step.target} · preparing (setup, deploy, steady state)…`] : liveLines(step, figures.snapshot(performance.now() - zero), durationMs));
    const timer = setInterval(() => this.render(), REDRAW_MS);
    this.render();
    return {
      onRunStart: (info) => {
        durationMs = info.durationMs;
      },
      onEntry: (entry) => {
        // The run's t = 0 is its run-started entry: from then on its clock is ours minus that.
        if (entry.kind === 'run-started') zero = performance.now() - entry.t;
        figures.add(entry);
        const line = eventLine(entry);
        if (line) this.persist([line]);
      },
      onRunEnd: (result) => {
        this.persist([...(this.live?.() ?? []), `■ ${result.experiment.name}: ${result.outcome}${result.reason ? ` (${printable(result.reason)})` : ''}`]);
        zero = undefined;
      },
      close: () => {
        clearInterval(timer);
        this.live = undefined;
        this.keyMode = 'idle';
        this.render();
      },
    };
  }

  async askHypothesis(step: GameDayStep, assertions: { verdict: AssertionsVerdict; text: string }, signal: AbortSignal): Promise<FacilitatorAnswer | undefined> {
    this.persist([`  assertions: ${assertions.verdict} — ${printable(assertions.text)}`, `  hypothesis: ${printable(step.hypothesis)}`]);
    const action = await this.wait('answer', signal, ['answer']);
    if (action?.do !== 'answer' || signal.aborted) return undefined;
    const note = await this.typeLine(`note on "${label(action.verdict)}" (Enter to finish, empty for none): `, signal);
    this.persist([`  the team says: ${label(action.verdict)}${note ? ` — ${note}` : ''}`]);
    return { verdict: action.verdict, ...(note ? { note } : {}), from: 'facilitator' };
  }

  say(line: string): void {
    this.persist([printable(line)]);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.log.clear();
    this.log.done();
    this.input.off('keypress', this.onKey);
    if (this.input.isTTY) this.input.setRawMode(false);
    this.input.pause();
  }

  /** Waits for one of `wanted` in `mode` (notes and the stop key work meanwhile); undefined when `signal` aborts. */
  private wait(mode: KeyMode, signal: AbortSignal, wanted: string[]): Promise<ReturnType<typeof keyAction> | undefined> {
    return new Promise((resolve) => {
      const previous = this.keyMode;
      const finish = (action: ReturnType<typeof keyAction> | undefined) => {
        signal.removeEventListener('abort', aborted);
        this.waiting = undefined;
        this.keyMode = previous === mode ? 'idle' : previous;
        this.render();
        resolve(action);
      };
      const aborted = () => finish(undefined);
      if (signal.aborted) return resolve(undefined);
      signal.addEventListener('abort', aborted, { once: true });
      this.keyMode = mode;
      this.waiting = (action) => {
        if (wanted.includes(action.do)) finish(action);
      };
      this.render();
    });
  }

  private typeLine(prompt: string, signal: AbortSignal): Promise<string> {
    return new Promise((resolve) => {
      const aborted = () => {
        this.typing = undefined;
        resolve('');
      };
      signal.addEventListener('abort', aborted, { once: true });
      this.typing = {
        text: '',
        startedAt: this.controls.now(),
        prompt,
        submit: (text) => {
          signal.removeEventListener('abort', aborted);
          resolve(text.trim());
        },
      };
      this.render();
    });
  }

  private key(key: Key): void {
    if (this.typing) {
      if (key.ctrl && key.name === 'c') {
        process.kill(process.pid, 'SIGINT');
        return;
      }
      const typing = this.typing;
      const edited = editLine(typing.text, key);
      typing.text = edited.text;
      if (edited.done) {
        this.typing = undefined;
        typing.submit(edited.done === 'submit' ? typing.text : '', typing.startedAt);
      }
      this.render();
      return;
    }
    const action = keyAction(this.keyMode, key);
    switch (action.do) {
      case 'interrupt':
        // Raw mode delivers Ctrl-C as a key: hand it to the signal handlers, which count presses.
        process.kill(process.pid, 'SIGINT');
        return;
      case 'stop':
        this.persist(['✋ STOP (x): rolling back everything…']);
        this.controls.stop('the stop key (x)');
        return;
      case 'note': {
        // Stamped with the instant the note was begun: what the person saw then.
        const startedAt = this.controls.now();
        this.typing = {
          text: '',
          startedAt,
          prompt: 'note (! first for an action item; Enter to save, Esc to drop): ',
          submit: (text, at) => {
            if (text.trim() === '') return;
            this.controls.note(text, at);
            this.persist([`  📝 ${text.trim().startsWith('!') ? 'action item' : 'note'} saved: ${printable(text.trim())}`]);
          },
        };
        this.render();
        return;
      }
      default:
        this.waiting?.(action);
    }
  }

  private persist(lines: string[]): void {
    if (this.closed) return;
    this.log.persist(lines.join('\n'));
    this.render();
  }

  private render(): void {
    if (this.closed) return;
    const lines = [...(this.live?.() ?? [])];
    if (this.typing) lines.push(`${this.typing.prompt}${printable(this.typing.text)}▏`);
    else lines.push(`[${KEYS[this.keyMode]}]`);
    this.log(lines.join('\n'));
  }
}

function label(verdict: TeamVerdict): string {
  return verdict === 'held' ? 'held' : verdict === 'not-held' ? 'did not hold' : 'unsure';
}
