// JSON with a stable key order and a readable shape: keys a reader looks for first come first in
// every object (whatever order the code built it in), the rest follow alphabetically, and timeline
// entries take one line each (a run has thousands; pretty-printed they would be ten lines apiece).
const FIRST_KEYS = [
  'tool', 'fault', 'repetition', 'id', 'name', 'version', 'experiment', 'file', 'description', 'target', 'targetDescription', 'iteration',
  'startedAt', 'wallClockAtZero', 'durationMs', 'outcome', 'reason',
  't', 'source', 'kind', 'subject', 'engineTime', 'data',
  'passed', 'ok', 'measured', 'unit', 'threshold', 'explanation', 'details',
  'verdicts', 'rollbacks', 'plan', 'timeline', 'runs',
];
const RANK = new Map(FIRST_KEYS.map((key, index) => [key, index]));

function orderedKeys(object: object): string[] {
  const keys = Object.keys(object).filter((key) => (object as Record<string, unknown>)[key] !== undefined);
  return keys.sort((a, b) => (RANK.get(a) ?? FIRST_KEYS.length) - (RANK.get(b) ?? FIRST_KEYS.length) || (a < b ? -1 : a > b ? 1 : 0));
}

/** The same value with every object's keys in the stable order (for compact one-line JSON). */
export function withOrderedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withOrderedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(orderedKeys(value).map((key) => [key, withOrderedKeys((value as Record<string, unknown>)[key])]));
}

/** Pretty JSON (2 spaces) in the stable key order; arrays under a key of `oneLineItems` get one line per item. */
export function orderedJson(value: unknown, oneLineItems: ReadonlySet<string>, indent = ''): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => inner + orderedJson(item, oneLineItems, inner)).join(',\n')}\n${indent}]`;
  }
  const keys = orderedKeys(value);
  if (keys.length === 0) return '{}';
  const members = keys.map((key) => {
    const member = (value as Record<string, unknown>)[key];
    const text = oneLineItems.has(key) && Array.isArray(member) && member.length > 0
      ? `[\n${member.map((item) => inner + '  ' + JSON.stringify(withOrderedKeys(item))).join(',\n')}\n${inner}]`
      : orderedJson(member, oneLineItems, inner);
    return `${inner}${JSON.stringify(key)}: ${text}`;
  });
  return `{\n${members.join(',\n')}\n${indent}}`;
}
