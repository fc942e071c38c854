import { parse as parseJUnit } from 'junit2json';
import { describe, expect, it } from 'vitest';
import { parseReporterSpec } from '../../../src/reporters/catalog.js';
import { renderConsole } from '../../../src/reporters/console-reporter.js';
import { renderJUnit } from '../../../src/reporters/junit-reporter.js';
import { renderMarkdown } from '../../../src/reporters/markdown-reporter.js';
import { reportFixture } from './fixture.js';

describe('reporters', () => {
  it('console: a table, notes, detection lag, summary line', () => {
    expect(renderConsole(reportFixture())).toMatchSnapshot();
  });

  it('markdown: escapes pipes, one table per run', () => {
    const text = renderMarkdown(reportFixture());
    expect(text).toContain('not recovered \\|');
    expect(text).toMatchSnapshot();
  });

  it('junit: valid XML that a JUnit parser reads back, invalid characters removed', async () => {
    const xml = renderJUnit(reportFixture());
    expect(xml).not.toMatch(/\u0001/);
    const parsed = (await parseJUnit(xml)) as { tests: number; failures: number; testsuite: { testcase: { name: string; failure?: unknown }[] }[] };
    expect(parsed.tests).toBe(2);
    expect(parsed.failures).toBe(1);
    expect(parsed.testsuite[0]!.testcase.map((testcase) => testcase.name)).toEqual(['recoveryTime [iteration 1]', 'traffic [iteration 1]']);
    expect(xml).toMatchSnapshot();
  });

  it('parses reporter specs and suggests near names', () => {
    expect(parseReporterSpec('junit=out/a.xml')).toEqual({ name: 'junit', file: 'out/a.xml' });
    expect(parseReporterSpec('json', 'out')).toEqual({ name: 'json', file: 'out/report.json' });
    expect(() => parseReporterSpec('junt')).toThrow(/did you mean `junit`/);
  });
});
