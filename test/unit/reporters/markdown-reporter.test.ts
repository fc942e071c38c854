import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../src/reporters/markdown-reporter.js';
import { markdownText } from '../../../src/reporters/markdown-table.js';
import { reportFixture, singleRunFixture } from './fixture.js';

describe('markdown reporter', () => {
  it('renders a heading, a summary line, the side-by-side table and a verdict table per run', () => {
    expect(renderMarkdown(reportFixture())).toMatchSnapshot();
  });

  it('keeps every table row on one line with as many cells as its header', () => {
    const rows = renderMarkdown(reportFixture()).split('\n').filter((line) => line.startsWith('|'));
    for (const row of rows) {
      const cells = row.split(/(?<!\\)\|/).length;
      expect(cells === 7 || cells === 10, row).toBe(true);
    }
  });

  it('escapes what would break a cell or open an HTML tag, and drops control characters', () => {
    expect(markdownText('a | b\nc <script> <= 3 \\ \u0001')).toBe('a \\| b c \\<script> <= 3 \\\\ ');
  });

  it('says when everything passed', () => {
    expect(renderMarkdown(singleRunFixture()).split('\n')[2]).toBe('✅ **3 passed, 0 failed** · 1 run on docker · 12.00 s · rebound 0.0.0-test');
  });
});
