import { PassThrough } from 'node:stream';
import { Chalk } from 'chalk';
import { describe, expect, it, vi } from 'vitest';
import { createConsoleReporter } from '../../../src/reporters/console-reporter.js';
import { ConsoleProgress } from '../../../src/reporters/console-progress.js';
import { renderConsole } from '../../../src/reporters/render-console.js';
import { useColor } from '../../../src/reporters/use-color.js';
import { reportFixture, singleRunFixture } from './fixture.js';

const ANSI = /\u001b\[[0-9;]*m/g;

/** A stream that keeps what was written; `isTTY` makes cli-progress draw on it. */
function capture(isTTY = false) {
  const stream = Object.assign(new PassThrough(), { isTTY, columns: 160 });
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return { stream, text: () => chunks.join('') };
}

describe('console reporter', () => {
  it('renders a table per run, the notes, a side-by-side table and the totals', () => {
    expect(renderConsole(reportFixture())).toMatchSnapshot();
  });

  it('renders one passing run without a side-by-side table', () => {
    const text = renderConsole(singleRunFixture());
    expect(text).not.toContain('Side by side');
    expect(text.trimEnd().split('\n').at(-1)).toBe('3 passed, 0 failed');
  });

  it('colours only on request, and the coloured text reads the same without its colours', () => {
    const plain = renderConsole(reportFixture());
    const coloured = renderConsole(reportFixture(), new Chalk({ level: 1 }));
    expect(plain).not.toMatch(ANSI);
    expect(coloured).toMatch(ANSI);
    expect(coloured.replace(ANSI, '')).toBe(plain);
  });

  it('never lets an explanation write escape sequences to the terminal', () => {
    const text = renderConsole(reportFixture());
    expect(text).not.toMatch(/[\u0000-\u0009\u000B-\u001F]/);
  });

  it('follows NO_COLOR, then FORCE_COLOR, then whether the stream is a terminal', () => {
    expect(useColor(true, {})).toBe(true);
    expect(useColor(false, {})).toBe(false);
    expect(useColor(true, { NO_COLOR: '1' })).toBe(false);
    expect(useColor(true, { NO_COLOR: '' })).toBe(true);
    expect(useColor(false, { FORCE_COLOR: '1' })).toBe(true);
    expect(useColor(true, { FORCE_COLOR: '0' })).toBe(false);
    expect(useColor(false, { NO_COLOR: 'x', FORCE_COLOR: '1' })).toBe(false);
  });
});

describe('console progress', () => {
  it('without a terminal, prints one line per phase, fault and rollback, and the run end', () => {
    const out = capture();
    const reporter = createConsoleReporter({ interactive: false, progressStream: out.stream, color: false });
    const run = reportFixture().runs[2]!;
    reporter.onRunStart!({ experiment: run.experiment.name, target: run.target, iteration: 1, iterations: 2, durationMs: 12_000 });
    for (const entry of run.timeline) reporter.onEntry!(entry);
    reporter.onEntry!({ t: 10_500, source: 'fault', kind: 'fault-rolled-back', data: { fault: 0, repetition: 0, name: 'drain-node', ok: false, error: 'connect ECONNREFUSED\u001b[2J' } });
    reporter.onRunEnd!(run);
    expect(out.text()).toMatchSnapshot();
  });

  it('on a terminal, draws a bar of elapsed/duration and a status line, moving between entries', async () => {
    const out = capture(true);
    let now = 0;
    const progress = new ConsoleProgress({ stream: out.stream, live: true, color: new Chalk({ level: 0 }), now: () => now });
    const run = reportFixture().runs[0]!;
    progress.start({ experiment: run.experiment.name, target: run.target, iteration: 1, iterations: 1, durationMs: 12_000 });
    for (const entry of run.timeline.filter((entry) => entry.t <= 4500)) progress.entry(entry);
    now = 1500; // 1.5 s after the last entry (t = 4.5 s): the bar shows 6.00 s
    // cli-progress redraws on its own timer (5 per second here): wait for a frame, bounded.
    await vi.waitFor(() => expect(out.text()).toContain('6.00 s / 12.00 s'), { timeout: 3000, interval: 50 });
    const drawn = out.text();
    expect(drawn).toContain('chaos');
    expect(drawn).toMatch(/requests 17 ok \/ 2 failed · ready 3\/3 · faults 1/);
    expect(drawn).toContain('fault crash → web-2');
    progress.end(run);
    expect(out.text()).toMatch(/■ passed in 12\.00 s · done · requests 17 ok \/ 2 failed/);
    progress.close();
  });
});
