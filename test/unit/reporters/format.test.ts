import { describe, expect, it } from 'vitest';
import { formatCount, formatLag, formatMeasured, formatPercent, formatTotals, plural, printable, reportTotals } from '../../../src/reporters/format.js';

describe('format', () => {
  it('shows ratios with one decimal, never rounding a loss or a success away', () => {
    expect(formatPercent(0.994)).toBe('99.4 %');
    expect(formatPercent(1)).toBe('100.0 %');
    expect(formatPercent(0)).toBe('0.0 %');
    expect(formatPercent(0.9996)).toBe('99.96 %');
    expect(formatPercent(0.99999)).toBe('99.999 %');
    expect(formatPercent(0.0004)).toBe('0.04 %');
  });

  it('shows measured values by unit', () => {
    expect(formatMeasured({ measured: 1320, unit: 'ms' })).toBe('1.32 s');
    expect(formatMeasured({ measured: 850, unit: 'ms' })).toBe('850 ms');
    expect(formatMeasured({ measured: 0.994, unit: 'ratio' })).toBe('99.4 %');
    expect(formatMeasured({ measured: 12345, unit: 'count' })).toBe('12,345');
    expect(formatMeasured({ measured: null, unit: 'ms' })).toBe('—');
  });

  it('counts, lags, plurals and totals', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatLag(3.14159)).toBe('3.1 ms');
    expect(formatLag(-0.4)).toBe('-0.4 ms');
    expect(formatLag(1500)).toBe('1.50 s');
    expect(plural(1, 'event')).toBe('1 event');
    expect(plural(2, 'event')).toBe('2 events');
    const pass = { name: 'a', passed: true, measured: 1, unit: 'count' as const, threshold: '', explanation: '' };
    const totals = reportTotals([
      { outcome: 'passed', verdicts: [pass, pass] },
      { outcome: 'error', verdicts: [{ ...pass, passed: false }] },
    ]);
    expect(formatTotals(totals)).toBe('2 passed, 1 failed, 1 run did not complete');
  });

  it('removes control characters and keeps one line', () => {
    expect(printable('a\u0001b\u001b[31mc\nd\te\u009b')).toBe('ab[31mc d e');
  });
});
