// How reporters show numbers to a person. One place, so the console, Markdown and JUnit agree.
import type { Verdict } from '../assertions/verdict.js';
import { formatDuration } from '../common/duration.js';

// Engine error texts can carry control characters; on a terminal an ESC sequence would repaint
// the screen, so reporters show text through `printable`. Newlines and tabs become spaces (one cell).
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;

/** The text with control characters removed and line breaks / tabs turned into spaces. */
export function printable(text: string): string {
  return text.replace(/\r\n|[\n\r\t]/g, ' ').replace(CONTROL, '');
}

/** "99.4 %". One decimal reads best, but never rounds a loss away: 0.9996 is "99.96 %", not "100.0 %". */
export function formatPercent(ratio: number): string {
  if (!Number.isFinite(ratio)) return String(ratio);
  const percent = ratio * 100;
  for (let digits = 1; digits <= 4; digits++) {
    const text = percent.toFixed(digits);
    const rounded = Number(text);
    if ((rounded !== 100 || percent === 100) && (rounded !== 0 || percent === 0)) return `${text} %`;
  }
  return `${percent.toFixed(4)} %`;
}

/** "12,345": grouped with a fixed locale so reports are identical on every machine. */
export function formatCount(count: number): string {
  return Number.isInteger(count) ? count.toLocaleString('en-US') : String(count);
}

/** Detection lags are a few ms: "3.2 ms" keeps the decimal a Docker `timeNano` deserves. */
export function formatLag(ms: number): string {
  return Math.abs(ms) < 1000 ? `${ms.toFixed(1)} ms` : formatDuration(ms);
}

/** "1 sample", "3 samples". */
export function plural(count: number, noun: string): string {
  return `${formatCount(count)} ${noun}${count === 1 ? '' : 's'}`;
}

/** A verdict's measured value: "1.32 s", "99.4 %", "3", or "—" when there is none. */
export function formatMeasured(verdict: Pick<Verdict, 'measured' | 'unit'>): string {
  if (verdict.measured === null) return '—';
  if (verdict.unit === 'ms') return formatDuration(verdict.measured);
  if (verdict.unit === 'ratio') return formatPercent(verdict.measured);
  return formatCount(verdict.measured);
}

/** Counts of a whole report: assertions passed and failed, and runs that did not complete. */
export function reportTotals(runs: readonly { verdicts: readonly Verdict[]; outcome: string }[]) {
  const verdicts = runs.flatMap((run) => run.verdicts);
  const passed = verdicts.filter((verdict) => verdict.passed).length;
  const incomplete = runs.filter((run) => run.outcome === 'error' || run.outcome === 'aborted' || run.outcome === 'interrupted').length;
  return { passed, failed: verdicts.length - passed, incomplete, runs: runs.length };
}

/** "3 passed, 1 failed" and, when some runs did not complete, ", 1 run did not complete". */
export function formatTotals(totals: ReturnType<typeof reportTotals>): string {
  const incomplete = totals.incomplete === 0 ? '' : `, ${plural(totals.incomplete, 'run')} did not complete`;
  return `${totals.passed} passed, ${totals.failed} failed${incomplete}`;
}
