import { describe, expect, it } from 'vitest';
import { assertionCatalog } from '../../../src/assertions/catalog.js';
import type { RunReport } from '../../../src/run/run-result.js';
import type { TimelineEntry } from '../../../src/timeline/timeline.js';
import { renderJson } from '../../../src/reporters/json-reporter.js';
import { reportFixture } from './fixture.js';

/** The same value with every object's keys in reverse insertion order. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([key, member]) => [key, reversedKeys(member)]));
}

function evaluateAll(entries: readonly TimelineEntry[]) {
  const context = { settleMs: 2000 };
  return [
    assertionCatalog.recoveryTime.evaluate(entries, assertionCatalog.recoveryTime.params.parse({ max: '15s' }), context),
    assertionCatalog.replicas.evaluate(entries, assertionCatalog.replicas.params.parse({ minDuringChaos: '>= 2', within: '5s' }), context),
    assertionCatalog.traffic.evaluate(entries, assertionCatalog.traffic.params.parse({ successRate: '>= 90%', maxOutage: '1s', p99: '<= 3x baseline' }), context),
  ];
}

describe('json reporter', () => {
  it('reads back as the same report', () => {
    expect(JSON.parse(renderJson(reportFixture()))).toEqual(reportFixture());
  });

  it('re-evaluates to the same verdicts from the re-read timeline', () => {
    const reread = JSON.parse(renderJson(reportFixture())) as RunReport;
    for (const [index, run] of reportFixture().runs.entries()) {
      const verdicts = evaluateAll(run.timeline);
      expect(evaluateAll(reread.runs[index]!.timeline)).toEqual(verdicts);
    }
  });

  it('has a stable key order, whatever order the report was built in', () => {
    const text = renderJson(reportFixture());
    expect(renderJson(reversedKeys(reportFixture()) as RunReport)).toBe(text);
    const run = reportFixture().runs[0]!;
    const keys = Object.keys(JSON.parse(text).runs[0]);
    expect(keys.slice(0, 3)).toEqual(['experiment', 'target', 'iteration']);
    expect(keys.at(-1)).toBe('timeline');
    expect(text).toContain(`"startedAt": "${run.startedAt}"`);
  });

  it('writes one timeline entry per line, with t, source and kind first', () => {
    const lines = renderJson(reportFixture()).split('\n');
    const entries = lines.filter((line) => line.trimStart().startsWith('{"t":'));
    expect(entries).toHaveLength(reportFixture().runs.reduce((sum, run) => sum + run.timeline.length, 0));
    expect(entries).toContain('        {"t":3004.2,"source":"target","kind":"instance-event","subject":"web-2","engineTime":1767225603001.1,"data":{"action":"die","exitCode":137}},');
  });

  it('keeps an empty report valid', () => {
    const empty: RunReport = { tool: { name: 'rebound', version: '1' }, startedAt: '2026-01-01T00:00:00.000Z', durationMs: 0, runs: [] };
    expect(renderJson(empty)).toBe('{\n  "tool": {\n    "name": "rebound",\n    "version": "1"\n  },\n  "startedAt": "2026-01-01T00:00:00.000Z",\n  "durationMs": 0,\n  "runs": []\n}\n');
  });
});
