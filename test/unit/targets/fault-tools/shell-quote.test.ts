import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shellCommand, shellQuote } from '../../../../src/targets/fault-tools/index.js';

// bash itself is the judge: what it reads back must be what went in.
function bashWords(commandLine: string): string[] {
  const result = spawnSync('bash', ['-c', `for w in ${commandLine}; do printf '%s\\0' "$w"; done`], { encoding: 'utf8' });
  return result.stdout.split('\0').slice(0, -1);
}

describe('shellQuote', () => {
  it('leaves plain words alone and quotes the rest', () => {
    expect(shellQuote('--dport')).toBe('--dport');
    expect(shellQuote('0.0.0.0:8080')).toBe('0.0.0.0:8080');
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('')).toBe("''");
  });

  it('round-trips any word through bash', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1 }).filter((word) => !word.includes('\0')), { minLength: 1, maxLength: 4 }), (words) => {
        expect(bashWords(shellCommand(words))).toEqual(words);
      }),
      { numRuns: 60 },
    );
  });
});
