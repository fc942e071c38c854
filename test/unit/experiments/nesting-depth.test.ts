import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tooDeepAt } from '../../../src/experiments/nesting-depth.js';

const depthOf = (text: string) => {
  for (let limit = 0; limit < 200; limit++) if (tooDeepAt(text, limit) === undefined) return limit;
  return Infinity;
};

describe('tooDeepAt', () => {
  it('counts flow collections, block indentation and compact sequences', () => {
    expect(depthOf('[[[x]]]')).toBe(3);
    expect(depthOf('{a: {b: [1]}}')).toBe(3);
    expect(depthOf('- - - x')).toBe(4);
    expect(depthOf('a:\n  b:\n    c: 1\nd: 2\n')).toBe(4);
    expect(depthOf('a: 1\nb: 2\nc: 3\n')).toBe(2);
  });

  it('ignores brackets in quotes, comments, plain scalars and block scalars', () => {
    expect(depthOf(`a: "[[[[[[[["\nb: '{{{{{{'\nc: x[[[[[[[\n# [[[[[[[[[[\n`)).toBe(2);
    expect(depthOf(`a: |\n  [[[[[[[[[[\n  {{{{{{{{{{\nb: >\n      - - - - - - - -\n`)).toBe(2);
  });

  it('finds the first token past the limit, located', () => {
    expect(tooDeepAt(`${'['.repeat(100_000)}${']'.repeat(100_000)}`, 64)).toEqual({ offset: 64, line: 1, column: 65 });
    const indented = Array.from({ length: 100 }, (_, level) => `${' '.repeat(level)}k${level}:`).join('\n');
    expect(tooDeepAt(indented, 64)).toMatchObject({ line: 65, column: 65 });
    expect(tooDeepAt(`key: value\nlist:\n  - ${'[ '.repeat(70)}`, 64)).toMatchObject({ line: 3 });
  });

  it('passes every shipped experiment far below the limit', () => {
    const root = join(import.meta.dirname, '../../../experiments');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) expect(depthOf(readFileSync(join(root, file), 'utf8')), file).toBeLessThanOrEqual(10);
  });

  it('stops at the limit: 100,000 levels cost no more than a few tokens', () => {
    const text = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const started = performance.now();
    for (let run = 0; run < 100; run++) tooDeepAt(text, 64);
    expect((performance.now() - started) / 100).toBeLessThan(5);
  });
});
