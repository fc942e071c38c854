import { describe, expect, it } from 'vitest';
import { editLine, keyAction } from '../../../src/cli/gameday/key-actions.js';
import { assertionsVerdict } from '../../../src/gameday/assertions-verdict.js';
import type { GameDayReport, StepReport } from '../../../src/gameday/game-day-report.js';
import { gameDayExitCode } from '../../../src/gameday/game-day-exit-code.js';
import { LiveFigures } from '../../../src/gameday/live-figures.js';
import { noteOf, notesIntoRuns, placeScheduledNote } from '../../../src/gameday/place-notes.js';
import type { RunResult } from '../../../src/run/run-result.js';
import type { TimelineEntry } from '../../../src/timeline/timeline.js';

describe('keys', () => {
  it('Enter / s / q before a step, y / n / u for the answer, x and Ctrl-C always', () => {
    expect(keyAction('before-step', { name: 'return' })).toEqual({ do: 'go' });
    expect(keyAction('before-step', { name: 's' })).toEqual({ do: 'skip' });
    expect(keyAction('before-step', { name: 'q' })).toEqual({ do: 'quit' });
    expect(keyAction('running', { name: 'return' })).toEqual({ do: 'nothing' });
    expect(keyAction('running', { name: 'n' })).toEqual({ do: 'note' });
    expect(keyAction('answer', { name: 'n' })).toEqual({ do: 'answer', verdict: 'not-held' });
    expect(keyAction('answer', { name: 'y' })).toEqual({ do: 'answer', verdict: 'held' });
    expect(keyAction('answer', { name: 'u' })).toEqual({ do: 'answer', verdict: 'unsure' });
    for (const mode of ['confirm-start', 'before-step', 'running', 'answer', 'idle'] as const) {
      expect(keyAction(mode, { name: 'x' })).toEqual({ do: 'stop' });
      expect(keyAction(mode, { name: 'c', ctrl: true })).toEqual({ do: 'interrupt' });
    }
  });

  it('a note line: printable characters, backspace, Esc drops it, Enter saves it', () => {
    let text = '';
    for (const sequence of ['a', 'b', '\u001b[31m', 'c']) text = editLine(text, { sequence, name: sequence }).text;
    expect(text).toBe('ab[31mc');
    expect(editLine('abc', { name: 'backspace' }).text).toBe('ab');
    expect(editLine('abc', { name: 'escape' }).done).toBe('cancel');
    expect(editLine('abc', { name: 'return' })).toEqual({ text: 'abc', done: 'submit' });
  });
});

describe('notes', () => {
  it('a leading ! makes an action item', () => {
    expect(noteOf('  ! page sooner ')).toEqual({ text: 'page sooner', actionItem: true });
    expect(noteOf('looks fine')).toEqual({ text: 'looks fine', actionItem: false });
  });

  const run = { wallClockAtZero: 1_000_500, durationMs: 10_000, timeline: [{ t: 0, source: 'runner', kind: 'phase', data: { phase: 'setup' } }, { t: 9000, source: 'runner', kind: 'phase', data: { phase: 'done' } }] } as unknown as RunResult;
  const step = { index: 0, name: 'pause-one', kind: 'experiment', status: 'ran', runs: [0], startedAt: 100, endedAt: 10_600 } as StepReport;
  const skipped = { index: 1, name: 'later', kind: 'experiment', status: 'skipped', runs: [] } as unknown as StepReport;

  it('a notes-file note relative to a step lands at its run t = 0 plus `at`; a step that did not run leaves it unplaced', () => {
    expect(placeScheduledNote({ at: 2000, step: 'pause-one', text: 'hang' }, [step, skipped], [run], 1_000_000)).toEqual({ t: 2500, text: 'hang', actionItem: false, from: 'notes file', step: 0 });
    expect(placeScheduledNote({ at: 3000, text: '! x' }, [step, skipped], [run], 1_000_000)).toMatchObject({ t: 3000, actionItem: true, step: 0 });
    expect(placeScheduledNote({ at: 1, step: 'later', text: 'y' }, [step, skipped], [run], 1_000_000)).toMatchObject({ unplaced: 'step later did not run (skipped)' });
  });

  it('notes within a run go into its timeline in t order, on its clock, as source human', () => {
    const copy = structuredClone(run);
    notesIntoRuns([{ t: 2500, text: 'hang', actionItem: true, from: 'facilitator' }, { t: 20_000, text: 'after', actionItem: false, from: 'facilitator' }], [copy], 1_000_000);
    expect(copy.timeline.map((entry) => [entry.t, entry.kind])).toEqual([[0, 'phase'], [2000, 'note'], [9000, 'phase']]);
    expect(copy.timeline[1]).toEqual({ t: 2000, source: 'human', kind: 'note', data: { text: 'hang', actionItem: true } });
  });
});

describe('live figures', () => {
  it('requests per second from the answers of the last second, latency, ready replicas, each fault and its recovery', () => {
    const figures = new LiveFigures({ settleMs: 1000, probeTimeoutMs: 200 });
    const entries: TimelineEntry[] = [{ t: 0, source: 'target', kind: 'replicas', data: { desired: 1, ready: 1, running: 1 } }];
    for (let t = 0; t < 6000; t += 100) {
      const down = t >= 1000 && t < 2000;
      entries.push({ t, source: 'probe', kind: 'request', data: down ? { ms: 200, ok: false, error: 'timeout' } : { ms: 5, ok: true } });
    }
    entries.push({ t: 1000, source: 'fault', kind: 'fault-started', data: { fault: 0, repetition: 0, name: 'pause', subjects: ['web-0'] } });
    entries.push({ t: 1010, source: 'fault', kind: 'fault-injected', data: { fault: 0, repetition: 0, name: 'pause', subjects: ['web-0'], startedAt: 1000 } });
    entries.push({ t: 2000, source: 'fault', kind: 'fault-rolled-back', data: { fault: 0, repetition: 0, name: 'pause', ok: true, action: 'unpaused web-0' } });
    for (const entry of entries.sort((a, b) => a.t - b.t)) figures.add(entry);
    const during = figures.snapshot(1900);
    // Answers that came in (900, 1900]: the last good one at 905, the timeouts of 1000–1700.
    expect(during.probe).toEqual({ ok: 1, failed: 8 });
    expect(during.faults[0]).toMatchObject({ name: 'pause', state: 'rolled back' });
    const after = figures.snapshot(5000);
    expect(after.probe).toEqual({ ok: 10, failed: 0 });
    expect(after.latency).toEqual({ p50: 5, p95: 5 });
    expect(after).toMatchObject({ ready: 1, desired: 1 });
    // The recovery-time assertion's instant: the last failed request (sent 1900) ended at 2100.
    expect(after.faults[0]!.recoveredAfterMs).toBe(1100);
  });
});

describe('verdicts and exit codes', () => {
  const run = (outcome: RunResult['outcome'], passed: boolean[], reason?: string) => ({ outcome, ...(reason && { reason }), verdicts: passed.map((ok, index) => ({ name: `a${index}`, passed: ok, explanation: ok ? 'fine' : 'too slow' })) }) as unknown as RunResult;

  it('the assertions hold when every verdict passed; a guard is not held; a stopped run is not judged', () => {
    expect(assertionsVerdict([run('passed', [true, true])], 'experiment')).toEqual({ verdict: 'held', text: '2/2 assertions passed' });
    expect(assertionsVerdict([run('failed', [true, false])], 'experiment').verdict).toBe('not-held');
    expect(assertionsVerdict([run('aborted', [], 'aborted by guard: x')], 'experiment')).toEqual({ verdict: 'not-held', text: 'aborted by guard: x' });
    expect(assertionsVerdict([run('interrupted', [true], 'interrupted by the stop key (x)')], 'experiment').verdict).toBe('not-judged');
    expect(assertionsVerdict([run('passed', [])], 'experiment').verdict).toBe('none');
    expect(assertionsVerdict([], 'check').verdict).toBe('none');
  });

  const step = (overrides: Partial<StepReport>): StepReport => ({ index: 0, name: 's', kind: 'experiment', hypothesis: 'h', status: 'ran', runs: [], assertions: { verdict: 'held', text: '' }, notes: [], rollbacks: [], ...overrides });
  const report = (overrides: Partial<GameDayReport>, steps: StepReport[]) => ({ outcome: 'completed', steps, ...overrides }) as GameDayReport;

  it('3 refused, 4 a failed rollback or teardown, 130 the stop key, 143 SIGTERM, 1 a hypothesis that did not hold, 0 otherwise', () => {
    expect(gameDayExitCode(report({ outcome: 'refused' }, []))).toBe(3);
    expect(gameDayExitCode(report({ outcome: 'stopped', stop: { t: 1, by: 'the stop key (x)', undone: [] } }, [step({ rollbacks: [{ name: 'pause', ok: false, action: 'unpause' }] })]))).toBe(4);
    expect(gameDayExitCode(report({}, [step({ released: false })]))).toBe(4);
    expect(gameDayExitCode(report({ outcome: 'stopped', stop: { t: 1, by: 'the stop key (x)', undone: [] } }, [step({})]))).toBe(130);
    expect(gameDayExitCode(report({ outcome: 'stopped', stop: { t: 1, by: 'SIGTERM', undone: [] } }, [step({})]))).toBe(143);
    expect(gameDayExitCode(report({}, [step({ status: 'error' })]))).toBe(3);
    expect(gameDayExitCode(report({}, [step({ team: { verdict: 'not-held', t: 1, from: 'facilitator' } })]))).toBe(1);
    expect(gameDayExitCode(report({}, [step({ assertions: { verdict: 'not-held', text: '' } })]))).toBe(1);
    expect(gameDayExitCode(report({}, [step({}), step({ status: 'skipped', assertions: { verdict: 'not-judged', text: '' } })]))).toBe(0);
  });
});
