import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { formatReboundError, ValidationError } from '../../../src/common/errors.js';
import { parseExperiment } from '../../../src/experiments/load-experiment.js';

// Hostile input: whatever the document, the loader either returns an experiment or throws a
// ValidationError whose every issue is located (line, column) — never another error, never a hang —
// and whose text is safe for a terminal: no raw control character, no endless line.
const RUNS = Number(process.env.REBOUND_FUZZ_RUNS ?? 10_000);
const stats = { cases: 0, worstMs: 0, worstHeapDelta: 0 };
// What stderr may not carry: every C0 character but the line break, DEL and C1.
const RAW_CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/;

/** Checks one document; returns the error it gave, if any. */
function check(text: string): ValidationError | undefined {
  let refused: ValidationError | undefined;
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  try {
    parseExperiment(text, 'fuzz.yaml');
  } catch (error) {
    if (!(error instanceof ValidationError)) throw new Error(`not a ValidationError for ${JSON.stringify(text.slice(0, 200))}: ${String(error)}`);
    for (const issue of error.issues) {
      expect(issue.line).toBeGreaterThanOrEqual(1);
      expect(issue.column).toBeGreaterThanOrEqual(1);
      expect(issue.message.length).toBeGreaterThan(0);
    }
    const shown = formatReboundError(error);
    expect(shown).not.toMatch(RAW_CONTROL);
    for (const line of shown.split('\n')) expect(line.length).toBeLessThan(700);
    refused = error;
  }
  const elapsed = performance.now() - started;
  stats.cases++;
  stats.worstMs = Math.max(stats.worstMs, elapsed);
  stats.worstHeapDelta = Math.max(stats.worstHeapDelta, process.memoryUsage().heapUsed - heapBefore);
  expect(elapsed).toBeLessThan(1000);
  return refused;
}

const valid = {
  apiVersion: 'rebound/v1',
  kind: 'Experiment',
  metadata: { name: 'fuzz' },
  system: { selector: { app: 'web' }, url: 'http://127.0.0.1:8080/' },
  faults: [{ crash: { count: 1 }, at: '1s' }],
  assertions: [{ recoveryTime: { max: '5s' } }],
};

const anyValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.integer(),
    fc.double(),
    fc.bigInt().map((big) => big.toString() + '0000000000000000000'),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom('10s', '-1s', '1e309', 'NaN', '200/s', '>= 99%', '', '\u0000', '{{', '*x', '&a', '!!binary', '💥'),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 12 }), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** A valid experiment with one field replaced by a generated value. */
const mutated = fc
  .tuple(
    fc.constantFrom(['apiVersion'], ['kind'], ['metadata', 'name'], ['system'], ['system', 'selector'], ['system', 'url'], ['faults'], ['faults', 0], ['faults', 0, 'crash'], ['faults', 0, 'at'], ['assertions', 0], ['iterations'], ['probe'], ['load'], ['nope']),
    anyValue,
  )
  .map(([path, value]) => {
    const copy = structuredClone(valid) as Record<string, any>;
    let node = copy;
    for (const key of path.slice(0, -1)) node = node[key as string] ??= {};
    node[path.at(-1) as string] = value;
    return stringify(copy);
  });

describe('experiment loader under hostile input', () => {
  it(`survives ${RUNS} generated documents with located errors only`, () => {
    fc.assert(fc.property(fc.oneof(mutated, fc.string({ maxLength: 300 }), anyValue.map((value) => stringify(value))), (text) => void check(text)), { numRuns: RUNS });
  });

  it('survives alias bombs, deep nesting and huge strings within bounds', () => {
    const laughs = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 12; level++) laughs.push(`a${level}: &a${level} [${Array(10).fill(`*a${level - 1}`).join(', ')}]`);
    check(laughs.join('\n'));
    check(`${'['.repeat(5000)}${']'.repeat(5000)}`);
    check(`${'- '.repeat(2000)}x`);
    // Past the nesting limit, each way YAML nests: refused before the YAML library recurses into it.
    const deep = [
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      `${'{a: '.repeat(50_000)}1${'}'.repeat(50_000)}`,
      `${'- '.repeat(100_000)}x`,
      `${'? '.repeat(100_000)}x`,
      Array.from({ length: 1400 }, (_, level) => `${' '.repeat(level)}a:`).join('\n'),
      Array.from({ length: 1400 }, (_, level) => `${' '.repeat(level)}- [`).join('\n'),
      `faults:\n  - crash: ${'[&x '.repeat(10_000)}`,
    ];
    for (const text of deep) expect(check(text)?.issues[0]?.message).toMatch(/^nested more than 64 levels deep/);
    check(`metadata: { name: "${'x'.repeat(500_000)}" }`);
    check(`${'a: b\n'.repeat(4_000)}`);
    check(`${'a: b\n'.repeat(100_000)}`);
    check('\uFEFF\u202E apiVersion: rebound/v1\n kind: Experiment');
    console.log(`fuzz: ${stats.cases} documents, worst parse ${stats.worstMs.toFixed(1)} ms, worst heap growth ${(stats.worstHeapDelta / 1024 / 1024).toFixed(1)} MiB`);
  });
});
