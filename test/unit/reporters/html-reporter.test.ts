import { describe, expect, it } from 'vitest';
import { recoveryTimes } from '../../../src/assertions/recovery-time.js';
import { measuredNames } from '../../../src/compare/measures.js';
import type { RunResult } from '../../../src/run/run-result.js';
import type { TimelineEntry } from '../../../src/timeline/timeline.js';
import { LatencyHistogram } from '../../../src/stats/latency-histogram.js';
import { reporterCatalog } from '../../../src/reporters/catalog.js';
import { binWidth, escapeHtml, jsonForScript, MAX_BINS, renderCompareReportHtml, renderRunReportHtml, runTimelineData } from '../../../src/reporters/html/index.js';
import { renderHtml } from '../../../src/reporters/html-reporter.js';
import { NASTY, reportFixture, singleRunFixture } from './fixture.js';
import { compareFixture } from './fixtures/compare-report.js';
import { largeRunFixture } from './fixtures/large-run.js';

// Stand-ins for uPlot, so snapshots and string checks do not depend on the library's bytes.
const FAKE_ASSETS = { script: '/* uPlot */', css: '/* uPlot css */' };

const request = (t: number, ms: number, ok = true): TimelineEntry => ({ t, source: 'probe', kind: 'request', data: ok ? { ms, ok, status: 200 } : { ms, ok, error: 'ECONNREFUSED' } });

function handMadeRun(): RunResult {
  const run = singleRunFixture().runs[0]!;
  run.durationMs = 400;
  run.plan.settleMs = 100;
  run.timeline = [
    { t: 0, source: 'runner', kind: 'phase', data: { phase: 'baseline' } },
    { t: 0, source: 'target', kind: 'replicas', data: { desired: 3, ready: 3, running: 3 } },
    request(0, 10),
    request(50, 20),
    request(99.9, 1, false),
    { t: 100, source: 'fault', kind: 'fault-injected', data: { fault: 0, repetition: 0, name: 'crash', subjects: ['web-2'] } },
    request(100, 30),
    { t: 120, source: 'load', kind: 'load-bucket', data: { bucketMs: 100, sent: 9, ok: 7, failed: 2, latencyMs: { p50: 3.333, p95: 8, p99: 9, max: 9 }, byInstance: { 'web-1': 7 }, targetRate: 90 } },
    { t: 150, source: 'target', kind: 'replicas', data: { desired: 3, ready: 2, running: 2 } },
    request(250, 5),
    request(260, 15),
    request(270, 25),
    request(280, 35),
    { t: 290, source: 'target', kind: 'replicas', data: { desired: 3, ready: 3, running: 3 } },
    { t: 300, source: 'fault', kind: 'fault-rolled-back', data: { fault: 0, repetition: 0, name: 'crash', ok: true, action: 'nothing to undo' } },
    request(300, 6),
    request(350, 6),
    { t: 400, source: 'runner', kind: 'phase', data: { phase: 'rollback' } },
  ];
  return run;
}

describe('runTimelineData (binning)', () => {
  it('counts ok and failed requests per 100 ms bin, [k·100, (k+1)·100)', () => {
    const data = runTimelineData(handMadeRun());
    expect(data.bins).toBe(5);
    expect(data.probe!.ok).toEqual([2, 1, 4, 2, 0]);
    expect(data.probe!.failed).toEqual([1, 0, 0, 0, 0]);
  });

  it('takes latency percentiles of the answered requests of each bin only (HdrHistogram: nearest rank, 3 digits)', () => {
    const probe = runTimelineData(handMadeRun()).probe!;
    // Bin 0: 10 and 20 ms answered; the failed request has no latency. p50 is rank 1 (10 ms), p95
    // rank 2 (20 ms), each the highest value of its HDR bucket (8 µs wide at 10 ms, 16 µs at 20 ms).
    expect([probe.p50[0], probe.p95[0], probe.p99[0]]).toEqual([10.01, 20.02, 20.02]);
    expect([probe.p50[1], probe.p95[1], probe.p99[1]]).toEqual([30.02, 30.02, 30.02]);
    // Bin 2: 5, 15, 25, 35 ms: p50 is rank 2 (15 ms), p95 and p99 rank 4 (35 ms).
    expect([probe.p50[2], probe.p95[2], probe.p99[2]]).toEqual([15.01, 35.01, 35.01]);
    expect(probe.p50[4]).toBeNull();
  });

  it('merges the load buckets of a wider bin through their histograms, and falls back to the worst bucket without them', () => {
    const run = handMadeRun();
    const bucket = (t: number, samples: number[], withHistogram = true): TimelineEntry => {
      const histogram = LatencyHistogram.ofMs(samples);
      const { p50, p95, p99, max } = histogram.summary();
      return { t, source: 'load', kind: 'load-bucket', data: { bucketMs: 100, sent: samples.length, ok: samples.length, failed: 0, latencyMs: { p50: p50!, p95: p95!, p99: p99!, max: max! }, ...(withHistogram && { histogram: histogram.encode() }), byInstance: {}, targetRate: 10 } };
    };
    // The same bucket twice in one bin (a cluster load's late part of a bucket): merged, 1–100 ms.
    run.timeline = [bucket(0, Array.from({ length: 50 }, (_, index) => index + 1)), bucket(0, Array.from({ length: 50 }, (_, index) => index + 51)), { t: 400, source: 'runner', kind: 'phase', data: { phase: 'rollback' } }];
    const merged = runTimelineData(run).load!;
    expect([merged.p50[0], merged.p99[0]]).toEqual([50.02, 99.01]);
    run.timeline[1] = bucket(0, Array.from({ length: 50 }, (_, index) => index + 51), false);
    const worst = runTimelineData(run).load!;
    expect(worst.p50[0]).toBe(75.01);
  });

  it('adds load buckets to their own series, with the generator’s percentiles (one bucket per bin)', () => {
    const load = runTimelineData(handMadeRun()).load!;
    expect(load.ok).toEqual([0, 7, 0, 0, 0]);
    expect(load.failed).toEqual([0, 2, 0, 0, 0]);
    expect(load.p50[1]).toBe(3.33);
    expect(load.p50[0]).toBeNull();
  });

  it('keeps replica counts as steps and marks fault, rollback and the recovery-time assertion’s recovery', () => {
    const run = handMadeRun();
    const data = runTimelineData(run);
    expect(data.replicas).toEqual({ t: [0, 150, 290], ready: [3, 2, 3], desired: [3, 3, 3] });
    const [recovery] = recoveryTimes(run.timeline, run.plan.settleMs);
    expect(recovery!.ms).toBe(190);
    expect(data.markers.map((marker) => [marker.kind, marker.t])).toEqual([
      ['fault-injected', 100],
      ['recovered', 290],
      ['fault-rolled-back', 300],
      ['observation-end', 400],
    ]);
  });

  it('widens the bins of runs over 10 minutes to a multiple of 100 ms, at most 6,000 bins', () => {
    expect([binWidth(300_000), binWidth(600_000), binWidth(600_001), binWidth(3_600_000)]).toEqual([100, 100, 200, 600]);
    const report = largeRunFixture({ requests: 36_000, durationMs: 3_600_000 });
    const data = runTimelineData(report.runs[0]!);
    expect(data.binMs).toBe(600);
    expect(data.bins).toBeLessThanOrEqual(MAX_BINS + 1);
    expect(data.probe!.ok.reduce((sum, count) => sum + count, 0) + data.probe!.failed.reduce((sum, count) => sum + count, 0)).toBe(36_000);
  });

  it('gives a run without traffic no traffic series, and a recovery at the fixture’s 4.5 s', () => {
    const data = runTimelineData(reportFixture().runs[0]!);
    expect(data.load).toBeNull();
    expect(data.bins).toBe(121);
    expect(data.markers.find((marker) => marker.kind === 'recovered')?.t).toBe(4500);
    expect(runTimelineData(reportFixture().runs[2]!).probe).toBeNull();
  });
});

describe('html escaping', () => {
  const EVIL = 'evil </script><script>alert(1)</script> & <!-- co';

  function evilReport() {
    const report = singleRunFixture();
    const run = report.runs[0]!;
    run.experiment.name = EVIL;
    for (const entry of run.timeline) if (entry.kind === 'fault-injected') entry.data.name = EVIL;
    run.verdicts[0]!.explanation = NASTY;
    return report;
  }

  it('escapes text for HTML and drops control characters', () => {
    expect(escapeHtml(`a<b & "c" 'd'\u0001`)).toBe('a&lt;b &amp; &quot;c&quot; &#39;d&#39;');
  });

  it('writes JSON no `</script>` or `<!--` can break out of, which parses back to the same value', () => {
    const json = jsonForScript({ name: EVIL, line: '\u2028' });
    expect(json).not.toMatch(/<\/|<!--/);
    expect(JSON.parse(json)).toEqual({ name: EVIL, line: '\u2028' });
  });

  it('keeps an experiment name with </script> and & inside the text and the data element', () => {
    const html = renderRunReportHtml(evilReport(), FAKE_ASSETS);
    // Our own three script elements (data, uPlot, page script) are the only ones that close.
    expect(html.match(/<\/script>/g)).toHaveLength(3);
    expect(html.match(/<script/g)).toHaveLength(3);
    expect(html).not.toContain('<!-- co');
    expect(html).toContain('evil &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!-- co');
    expect(html).toContain('not recovered | stayed down [31m ]]&gt; &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot; 💥');
    const data = JSON.parse(/<script type="application\/json" id="rebound-data">(.*?)<\/script>/s.exec(html)![1]!);
    expect(data.runs[0].markers[0].label).toBe(EVIL);
  });
});

describe('html reporter', () => {
  it('is registered as `html`, writes report.html, and renders run and compare reports', () => {
    const reporter = reporterCatalog.html.create();
    expect(reporterCatalog.html.defaultFile).toBe('report.html');
    expect(reporter.onFinished).toBeTypeOf('function');
    expect(reporter.onCompareFinished).toBeTypeOf('function');
  });

  it('renders a page with a verdict table per run, a chart container each, and no network at view time', () => {
    const html = renderHtml(reportFixture());
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html.match(/<table class="verdicts">/g)).toHaveLength(3);
    expect(html.match(/data-run-index="\d+"/g)).toHaveLength(3);
    expect(html).toContain('<noscript>');
    expect(html).toContain('uPlot');
    expect(html).not.toMatch(/<script[^>]+src=|<link|<img|<iframe|url\(\s*['"]?(https?:)?\/\/|@import/);
  });

  it('matches the snapshot of the three-run fixture (uPlot stubbed)', async () => {
    // A file snapshot, so the snapshot itself opens in a browser (without charts: uPlot is stubbed).
    await expect(renderRunReportHtml(reportFixture(), FAKE_ASSETS)).toMatchFileSnapshot('./fixtures/__snapshots__/three-runs.html');
  });

  it('stays under 2 MB for 60,000 requests over 300 s: requests are binned, not embedded', () => {
    const report = largeRunFixture();
    expect(report.runs[0]!.timeline.filter((entry) => entry.kind === 'request')).toHaveLength(60_000);
    const html = renderHtml(report);
    const bytes = Buffer.byteLength(html);
    console.info(`html report of 60,000 requests: ${(bytes / 1024).toFixed(0)} KiB`);
    expect(bytes).toBeLessThan(2 * 1024 * 1024);
    const data = JSON.parse(/<script type="application\/json" id="rebound-data">(.*?)<\/script>/s.exec(html)![1]!);
    expect(data.runs[0].bins).toBe(3001);
    expect(data.runs[0].probe.ok.reduce((sum: number, count: number) => sum + count, 0) + data.runs[0].probe.failed.reduce((sum: number, count: number) => sum + count, 0)).toBe(60_000);
  });
});

describe('html compare report', () => {
  const html = renderCompareReportHtml(compareFixture(), FAKE_ASSETS);

  it('puts the comparison first: claims, a statistics table and strip plots per experiment, then the runs', () => {
    expect(html.indexOf('<table class="measures">')).toBeLessThan(html.indexOf('<details class="run"'));
    expect(html.match(/<table class="measures">/g)).toHaveLength(2);
    expect(html).toContain('<span class="badge warn">mixed</span>');
    expect(html).toContain('<span class="badge warn">not tested</span>');
    expect(html).toContain('docker: 2/3 passed (expected pass) · kubernetes: 3/3 passed (expected pass)');
    expect(html.match(/<details class="run"/g)).toHaveLength(7);
    expect(html).not.toMatch(/<details class="run"[^>]* open/);
  });

  it('shows per target median, p95, min, max, CI of the median and not recovered for each measure', () => {
    const table = /<table class="measures">.*?<\/table>/s.exec(html)![0];
    const rows = table.match(/<tr.*?<\/tr>/g)!;
    // Only measures measured somewhere in the experiment get rows (a crash has no rollout duration).
    expect(rows).toHaveLength(1 + measuredNames(compareFixture().comparisons[0]!).length * 2);
    expect(rows[1]).toBe('<tr class="group"><th scope="rowgroup" rowspan="2" title="fault → steady state held for the settle period (worst fault of the run); not recovered is counted, not averaged">recovery time</th><td>docker</td><td class="num">2</td><td class="num">2.50 s</td><td class="num">3.40 s</td><td class="num">1.50 s</td><td class="num">3.50 s</td><td class="num">1.50 s – 3.50 s</td><td class="num bad">1</td></tr>');
  });

  it('draws one SVG strip plot per measure, a dot per iteration with a value', () => {
    const plots = html.match(/<svg class="strip".*?<\/svg>/gs)!;
    expect(plots).toHaveLength(compareFixture().comparisons.reduce((sum, comparison) => sum + measuredNames(comparison).length, 0));
    const recovery = plots[0]!;
    expect(recovery.match(/<circle/g)).toHaveLength(5);
    expect(recovery).toContain('× 1 not recovered');
  });
});
