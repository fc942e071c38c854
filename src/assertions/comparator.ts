// Thresholds in experiment files: ">= 99%", "<= 2s", "< 3", "== 3". A bare value means ">=" for
// counts and ratios (at least) and "<=" for durations (at most), see `defaultOperator`.
import { parseDuration } from '../common/duration.js';

export type Operator = '>=' | '>' | '<=' | '<' | '==';
export type Unit = 'count' | 'ratio' | 'ms';

export interface Comparator {
  op: Operator;
  /** Counts as is; ratios in [0, 1]; durations in ms. */
  value: number;
  unit: Unit;
  /** As the user wrote it, for reports. */
  text: string;
}

const COMPARATOR = /^\s*(>=|<=|==|>|<)?\s*(.+?)\s*$/;

export function parseComparator(input: string | number, unit: Unit, defaultOperator: Operator): Comparator | string {
  const text = String(input);
  const match = COMPARATOR.exec(text);
  if (!match) return `a comparison such as ">= 3"`;
  const op = (match[1] as Operator | undefined) ?? defaultOperator;
  const raw = match[2]!;
  let value: number | undefined;
  if (unit === 'ms') value = parseDuration(raw);
  else if (unit === 'ratio') value = raw.endsWith('%') ? Number(raw.slice(0, -1)) / 100 : Number(raw);
  else value = Number(raw);
  if (value === undefined || !Number.isFinite(value)) {
    return unit === 'ms' ? 'a duration such as "<= 2s"' : unit === 'ratio' ? 'a percentage such as ">= 99%"' : 'a number such as ">= 3"';
  }
  if (unit === 'ratio' && (value < 0 || value > 1)) return 'a percentage between 0% and 100%';
  return { op, value, unit, text: `${op} ${raw}` };
}

export function compare(measured: number, comparator: Comparator): boolean {
  switch (comparator.op) {
    case '>=':
      return measured >= comparator.value;
    case '>':
      return measured > comparator.value;
    case '<=':
      return measured <= comparator.value;
    case '<':
      return measured < comparator.value;
    case '==':
      return measured === comparator.value;
  }
}

const NEGATED: Record<Operator, string> = { '>=': '<', '>': '<=', '<=': '>', '<': '>=', '==': '!=' };

/** The threshold's opposite, as a person reads it: ">= 90%" → "< 90%" (what a guard aborts on). */
export function negatedText(comparator: Comparator): string {
  return `${NEGATED[comparator.op]} ${comparator.text.slice(comparator.op.length).trim()}`;
}
