import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../../src/timeline/timeline.js';
import { sliceWidth, versionShare } from '../../../src/reporters/version-share.js';
import { renderRunReportHtml } from '../../../src/reporters/html/index.js';
import { runNotes } from '../../../src/reporters/run-notes.js';
import { singleRunFixture } from './fixture.js';

const request = (t: number, version: string | undefined, ok = true): TimelineEntry => ({ t, source: 'probe', kind: 'request', data: { ms: 5, ok, ...(version !== undefined && { version }) } });

describe('version share over time', () => {
  it('slices a run in 1, 2 or 5 s times a power of ten, at most 24 slices', () => {
    expect(sliceWidth(12_000)).toBe(1000);
    expect(sliceWidth(30_000)).toBe(2000);
    expect(sliceWidth(100_000)).toBe(5000);
    expect(sliceWidth(600_000)).toBe(50_000);
  });

  it('counts answered requests per version and slice, versions in the order they first answered', () => {
    const entries = [request(100, 'v1'), request(900, 'v1'), request(1200, 'v2'), request(1300, 'v1'), request(1400, 'v2', false), request(2100, 'v2'), request(2200, undefined)];
    entries.push({ t: 2000, source: 'load', kind: 'load-bucket', data: { bucketMs: 100, sent: 4, ok: 4, failed: 0, latencyMs: { p50: 1, p95: 1, p99: 1, max: 1 }, byInstance: {}, byVersion: { v2: 3, v1: 1 }, targetRate: 40 } });
    expect(versionShare(entries, 2500)).toEqual({
      versions: ['v1', 'v2'],
      sliceMs: 1000,
      slices: [
        { from: 0, to: 1000, counts: [2, 0] },
        { from: 1000, to: 2000, counts: [1, 1] },
        { from: 2000, to: 2500, counts: [1, 4] },
      ],
    });
  });

  it('is null when no answer named its version', () => {
    expect(versionShare([request(100, undefined)], 1000)).toBeNull();
  });
});

describe('versions and node crossings in the run reports', () => {
  // The fixture's probe requests: the first half answered by v1, the rest by v2, every third across nodes.
  function rollingRun() {
    const report = singleRunFixture();
    const run = report.runs[0]!;
    const requests = run.timeline.filter((entry) => entry.kind === 'request');
    const half = requests[Math.floor(requests.length / 2)]!.t;
    run.timeline = run.timeline.map((entry, index) => (entry.kind === 'request' ? { ...entry, data: { ...entry.data, version: entry.t < half ? 'v1' : 'v2', crossedNodes: index % 3 === 0 } } : entry));
    return report;
  }

  it('shows a table of the share of answers per version over time when more than one version answered', () => {
    const html = renderRunReportHtml(rollingRun(), { css: '', script: '' });
    const table = /<table class="versions">.*?<\/table>/s.exec(html)?.[0];
    expect(table).toContain('<th>version v1</th><th>version v2</th>');
    expect(table).toMatch(/<td class="num">100\.0 %<\/td><td class="num">0\.0 %<\/td>/);
    expect(table).toMatch(/<td class="num">0\.0 %<\/td><td class="num">100\.0 %<\/td>/);
  });

  it('says in one line when a single version answered, and nothing without versions', () => {
    const one = singleRunFixture();
    one.runs[0]!.timeline = one.runs[0]!.timeline.map((entry) => (entry.kind === 'request' ? { ...entry, data: { ...entry.data, version: 'v1' } } : entry));
    const html = renderRunReportHtml(one, { css: '', script: '' });
    expect(html).not.toContain('<table class="versions">');
    expect(html).toContain('every answer that named its version: v1');
    expect(renderRunReportHtml(singleRunFixture(), { css: '', script: '' })).not.toContain('every answer that named its version');
  });

  it('notes the versions and how many answers crossed nodes during chaos', () => {
    const notes = runNotes(rollingRun().runs[0]!).filter((note) => note.topic === 'answers').map((note) => note.text);
    expect(notes).toHaveLength(2);
    expect(notes[0]).toMatch(/^answers per version during chaos: v1 \d+\.\d %, v2 \d+\.\d % \(of \d+\)$/);
    expect(notes[1]).toMatch(/^answers that crossed nodes during chaos \(web and api on different nodes\): \d+ of \d+ \(\d+\.\d %\)$/);
    expect(runNotes(singleRunFixture().runs[0]!).filter((note) => note.topic === 'answers')).toEqual([]);
  });
});
