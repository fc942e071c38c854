import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/common/errors.js';
import { parseReporterList, parseReporterSpec, reporterCatalog, reporterNames } from '../../../src/reporters/catalog.js';
import { PassThrough } from 'node:stream';

describe('reporter catalog', () => {
  it('lists every reporter with a one-line summary, and each creates a reporter that renders', () => {
    expect(reporterNames).toEqual(['console', 'html', 'json', 'junit', 'markdown']);
    for (const factory of Object.values(reporterCatalog)) {
      expect(factory.summary).toMatch(/^[^\n]{10,120}$/);
      expect(factory.create({ interactive: false, progressStream: new PassThrough() }).onFinished).toBeTypeOf('function');
    }
  });
});

describe('parseReporterSpec', () => {
  it('reads name[=file]; without a file the report goes to stdout', () => {
    expect(parseReporterSpec('console')).toEqual({ name: 'console' });
    expect(parseReporterSpec('junit=out/junit.xml')).toEqual({ name: 'junit', file: 'out/junit.xml' });
    expect(parseReporterSpec(' JSON = out/a=b.json ')).toEqual({ name: 'json', file: 'out/a=b.json' });
  });

  it('puts file reporters without a file in --out, but keeps the console on stdout', () => {
    expect(parseReporterSpec('json', 'out/')).toEqual({ name: 'json', file: 'out/report.json' });
    expect(parseReporterSpec('markdown', 'out')).toEqual({ name: 'markdown', file: 'out/summary.md' });
    expect(parseReporterSpec('junit=x.xml', 'out')).toEqual({ name: 'junit', file: 'x.xml' });
    expect(parseReporterSpec('console', 'out')).toEqual({ name: 'console' });
  });

  it('refuses unknown names with a suggestion, and empty names or files', () => {
    expect(() => parseReporterSpec('junt=out.xml')).toThrow(UsageError);
    expect(() => parseReporterSpec('junt=out.xml')).toThrow(/unknown reporter `junt`.*did you mean `junit`\?/);
    expect(() => parseReporterSpec('markdwon')).toThrow(/did you mean `markdown`\?/);
    expect(() => parseReporterSpec('pdf')).toThrow(/^unknown reporter `pdf` in --reporter "pdf"$/);
    expect(() => parseReporterSpec('toString')).toThrow(/unknown reporter `tostring`/);
    expect(() => parseReporterSpec('=out.xml')).toThrow(/names no reporter/);
    expect(() => parseReporterSpec('junit=')).toThrow(/has no file after `=`/);
    try {
      parseReporterSpec('pd');
    } catch (error) {
      expect((error as UsageError).hint).toBe('reporters: console, html, json, junit, markdown (see rebound list)');
    }
  });
});

describe('parseReporterList', () => {
  it('parses the example of the design: console and json on stdout, junit to a file', () => {
    expect(parseReporterList(['console', 'junit=out/junit.xml', 'json'])).toEqual([{ name: 'console' }, { name: 'junit', file: 'out/junit.xml' }, { name: 'json' }]);
  });

  it('refuses two reporters writing the same file, or the same reporter twice on stdout', () => {
    expect(() => parseReporterList(['junit=out/r.xml', 'json=./out/r.xml'])).toThrow('--reporter json and --reporter junit both write to ./out/r.xml');
    expect(() => parseReporterList(['json', 'json'], undefined)).toThrow(/--reporter json is given twice without a file/);
    expect(() => parseReporterList(['json', 'json=other.json'], 'out')).not.toThrow();
  });
});
