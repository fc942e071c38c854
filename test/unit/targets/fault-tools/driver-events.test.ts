import { describe, expect, it } from 'vitest';
import { lineSplitter, parseDriverLine } from '../../../../src/targets/fault-tools/index.js';

describe('driver events', () => {
  it('reads the driver protocol lines and ignores the tools\' own output', () => {
    expect(parseDriverLine('rebound-fault applied')).toEqual({ event: 'applied' });
    expect(parseDriverLine('  rebound-fault removed\r')).toEqual({ event: 'removed' });
    expect(parseDriverLine('rebound-fault failed: --apply exited non-zero')).toEqual({ event: 'failed', reason: '--apply exited non-zero' });
    expect(parseDriverLine('Created new proxy rebound')).toBeUndefined();
    expect(parseDriverLine('rebound-fault appliedx')).toBeUndefined();
  });

  it('splits chunks into whole lines', () => {
    const lines: string[] = [];
    const feed = lineSplitter((line) => lines.push(line));
    feed('rebound-fault ar');
    feed('med\nrebound-fault applied\npartial');
    expect(lines).toEqual(['rebound-fault armed', 'rebound-fault applied']);
    feed('\n');
    expect(lines.at(-1)).toBe('partial');
  });
});
