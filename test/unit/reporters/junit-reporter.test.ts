import { parse, type TestSuite, type TestSuites } from 'junit2json';
import { describe, expect, it } from 'vitest';
import { renderJUnit } from '../../../src/reporters/junit-reporter.js';
import { escapeXmlAttribute, escapeXmlText } from '../../../src/reporters/xml-escape.js';
import { NASTY, reportFixture } from './fixture.js';

// Everything outside XML 1.0's Char production (https://www.w3.org/TR/xml/#charsets).
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

async function parsed(xml: string): Promise<TestSuites> {
  return (await parse(xml)) as TestSuites;
}

describe('junit reporter', () => {
  it('renders one testsuite per experiment and target, one testcase per assertion per iteration', () => {
    expect(renderJUnit(reportFixture())).toMatchSnapshot();
  });

  it('reads back with a JUnit parser: counts, failures, errors, names, classnames, times', async () => {
    const report = await parsed(renderJUnit(reportFixture()));
    expect({ tests: report.tests, failures: report.failures, errors: report.errors, time: report.time }).toEqual({ tests: 9, failures: 3, errors: 2, time: 32.25 });
    const [crash, drain] = report.testsuite as [TestSuite, TestSuite];
    expect(crash.name).toBe('web-survives-a-crash (docker)');
    expect(crash.testcase!.map((testCase) => testCase.name)).toEqual([
      'recoveryTime [iteration 1]', 'replicas [iteration 1]', 'traffic [iteration 1]',
      'recoveryTime [iteration 2]', 'replicas [iteration 2]', 'traffic [iteration 2]',
    ]);
    expect(new Set(crash.testcase!.map((testCase) => testCase.classname))).toEqual(new Set(['rebound.web-survives-a-crash.docker']));
    expect(crash.testcase!.map((testCase) => testCase.time)).toEqual([4, 4, 4, 4, 4, 4]);
    expect(crash.properties).toContainEqual({ name: 'target.description', value: 'Docker 20.10.24 (unix:///var/run/docker.sock)' });
    const failure = crash.testcase![3]!.failure![0]!;
    expect(failure.type).toBe('AssertionFailed');
    expect(failure.inner).toContain('measured: —\nthreshold: <= 15.00 s');
    expect({ tests: drain.tests, failures: drain.failures, errors: drain.errors }).toEqual({ tests: 3, failures: 1, errors: 2 });
    expect(drain.testcase!.map((testCase) => [testCase.name, testCase.error?.[0]?.type])).toEqual([
      ['run [iteration 1]', 'RunError'],
      ['rollback [iteration 1]', 'RollbackFailed'],
      ['recoveryTime [iteration 1]', undefined],
    ]);
    expect(drain.testcase![1]!.error![0]!.inner).toBe('drain-node: uncordon rebound-worker (connect ECONNREFUSED 127.0.0.1:6443)');
    expect(drain['system-out']![0]).toContain('! rollback of drain-node: FAILED');
  });

  it('keeps a nasty explanation readable and the XML valid: no invalid characters, `]]>` and markup escaped, emoji kept', async () => {
    const xml = renderJUnit(reportFixture());
    expect(xml).not.toMatch(NOT_XML_CHAR);
    expect(xml).not.toContain(']]>');
    expect(xml).not.toContain('<script>');
    const failure = (await parsed(xml)).testsuite![0]!.testcase![3]!.failure![0]!;
    const expected = NASTY.replace(/[\u0001\u001b]/g, '');
    expect(failure.message).toBe(expected);
    expect(failure.inner!.split('\n')[0]).toBe(expected);
  });

  it('keeps line breaks in attributes and drops lone surrogates', () => {
    expect(escapeXmlAttribute('a\nb\t"c"')).toBe('a&#10;b&#9;&quot;c&quot;');
    expect(escapeXmlText('x\uD800y\uDFFFz💥\uFFFE')).toBe('xyz💥');
  });

  it('is identical whatever order the runs arrive in', () => {
    const report = reportFixture();
    expect(renderJUnit({ ...report, runs: [...report.runs].reverse() })).toBe(renderJUnit(report));
  });
});
