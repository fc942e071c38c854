import { describe, expect, it } from 'vitest';
import { claimOverview, headlineCell } from '../../../src/reporters/claim-overview.js';
import { miniChartSvg } from '../../../src/reporters/html/mini-chart.js';
import { compareFixture } from './fixtures/compare-report.js';

const summary = (values: (number | null)[], unit: 'ms' | 'count' | 'ratio' = 'ms') => {
  const numbers = values.filter((value): value is number => value !== null).sort((a, b) => a - b);
  const median = numbers.length === 0 ? null : numbers[Math.floor(numbers.length / 2)]!;
  return { n: numbers.length, median, p95: median, min: numbers[0] ?? null, max: numbers.at(-1) ?? null, ci95: median === null ? null : ([median, median] as [number, number]), notRecovered: values.length - numbers.length, unit, values };
};

describe('claimOverview', () => {
  it('one row per claim: its status and, by default, recovery time per target; a target the claim was not run on says so', () => {
    const rows = claimOverview(compareFixture());
    expect(rows.map((row) => [row.number, row.claim, row.status, row.headline.name])).toEqual([
      [1, 'Both engines bring a crashed replica back within 5 s', 'mixed', 'recoveryMs'],
      [2, 'Kubernetes reschedules pods off a drained node', 'not tested', 'recoveryMs'],
    ]);
    expect(rows[0]!.cells.map((cell) => cell.target)).toEqual(['docker', 'kubernetes']);
    expect(rows[0]!.cells[0]!.text).toMatch(/^\d[\d.]* s \([\d.]+ s–[\d.]+ s\), not recovered 1\/3$/);
    expect(rows[1]!.cells[0]).toEqual({ target: 'docker', text: 'not run' });
  });

  it('takes the claim\'s own headline when it names one', () => {
    const report = compareFixture();
    report.comparisons[0]!.claim!.headline = 'failedRequests';
    expect(claimOverview(report)[0]!.headline).toEqual({ name: 'failedRequests', label: 'failed requests', unit: 'count' });
  });
});

describe('headlineCell', () => {
  it('median (min–max); one value when all are equal; not recovered counted; why a target cannot have the measure', () => {
    expect(headlineCell(summary([1500, 1200, 1800]), 'recoveryMs', 'docker')).toBe('1.50 s (1.20 s–1.80 s)');
    expect(headlineCell(summary([0, 0], 'count'), 'failedRequests', 'kubernetes')).toBe('0');
    expect(headlineCell(summary([null, null]), 'recoveryMs', 'docker')).toBe('not recovered 2/2');
    expect(headlineCell(summary([]), 'stallMs', 'docker')).toBe('no stall: the new containers replace the old whatever they do');
    expect(headlineCell(summary([], 'ratio'), 'crossedNodeShare', 'docker')).toBe('one host: nothing to cross');
  });
});

describe('miniChartSvg', () => {
  it('a bar to the median and a dot per iteration per target, on one axis from 0; iterations without a value counted in words', () => {
    const svg = miniChartSvg(
      [
        { label: 'docker', color: '#1f6fd1', summary: summary([26, 27], 'count') },
        { label: 'kubernetes', color: '#d9730d', summary: summary([0, 0], 'count') },
        { label: 'other', color: '#2e9e5b', summary: summary([null, null], 'count') },
      ],
      'failed requests per target',
      'not measured',
    );
    expect(svg.match(/<rect class="bar"/g)).toHaveLength(2);
    expect(svg.match(/<circle/g)).toHaveLength(4);
    expect(svg).toContain('× 2 not measured');
    // docker's median (27 of the axis' 27) ends at the right edge of the plot, kubernetes' 0 at the left.
    expect(svg).toMatch(/<rect class="bar" x="78" y="\d+" width="124"/);
    expect(svg).toMatch(/<rect class="bar" x="78" y="\d+" width="1"/);
  });
});
