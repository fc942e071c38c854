import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measuredNames } from '../../src/compare/measures.js';
import type { CompareReport } from '../../src/compare/compare-report.js';
import { renderCompareHtml, renderHtml } from '../../src/reporters/html-reporter.js';
import { compareFixture } from '../unit/reporters/fixtures/compare-report.js';
import { largeRunFixture } from '../unit/reporters/fixtures/large-run.js';
import { enginesRequired } from './support/engines.js';

// The HTML report opened in a real browser: Debian's Chromium (scripts/ensure-chromium.sh), driven
// by playwright-core, never a downloaded browser. Outside CI a missing Chromium skips this file; in
// CI (CI=true or REBOUND_REQUIRE_ENGINES=1) it fails it. The rendered pages and screenshots are
// kept in out/test-artifacts/ as examples.
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = resolve('out/test-artifacts');
const available = existsSync(CHROMIUM);
if (!available && !enginesRequired) console.warn(`skipping the HTML report browser test: no ${CHROMIUM}; run bash scripts/ensure-chromium.sh`);

interface Opened {
  page: Page;
  /** Console errors, page errors and dialogs (an alert would mean injected script ran). */
  problems: string[];
}

let browser: Browser | undefined;

// rebound's tsconfig has no DOM library (it runs in Node): the few browser shapes the in-page checks use.
interface InPage {
  document: { querySelectorAll(selector: string): ArrayLike<InPageElement> };
  reboundReport?: { charts: number; renderMs: number };
}
interface InPageElement {
  width: number;
  height: number;
  childElementCount: number;
  open: boolean;
  getContext(kind: '2d'): { getImageData(x: number, y: number, width: number, height: number): { data: Uint8ClampedArray } };
  querySelectorAll(selector: string): ArrayLike<unknown>;
}

async function open(html: string, name: string, options: { javaScriptEnabled?: boolean } = {}): Promise<Opened> {
  const file = join(ARTIFACTS, name);
  await writeFile(file, html);
  const context = await browser!.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: options.javaScriptEnabled ?? true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, problems };
}

/** Waits for the page script's "all charts drawn", then checks every canvas has pixels. */
async function chartsDrawn(page: Page) {
  await page.waitForFunction(() => (globalThis as unknown as InPage).reboundReport !== undefined, undefined, { timeout: 10_000 });
  return page.evaluate(() => {
    const { document, reboundReport } = globalThis as unknown as InPage;
    const canvases = Array.from(document.querySelectorAll('.uplot canvas')).map((canvas) => {
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let index = 3; index < pixels.length; index += 4) if (pixels[index]! > 0) painted++;
      return { width: canvas.width, height: canvas.height, painted };
    });
    const svgs = Array.from(document.querySelectorAll('svg.strip')).map((svg) => ({ children: svg.childElementCount, dots: svg.querySelectorAll('circle').length }));
    const minis = Array.from(document.querySelectorAll('table.overview svg.mini')).map((svg) => ({ bars: svg.querySelectorAll('rect.bar').length, dots: svg.querySelectorAll('circle').length }));
    return { ...reboundReport!, canvases, svgs, minis };
  });
}

describe.runIf(available || enginesRequired)('the HTML report in headless Chromium', () => {
  beforeAll(async () => {
    if (!available) throw new Error(`${CHROMIUM} is missing and browsers are required here (CI): run bash scripts/ensure-chromium.sh`);
    await mkdir(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('draws the timeline of a 60,000-request run in under a second, without errors', async () => {
    const html = renderHtml(largeRunFixture());
    const { page, problems } = await open(html, 'html-report.html');
    const drawn = await chartsDrawn(page);
    console.info(`60,000-request run: ${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB of HTML, ${drawn.charts} charts drawn ${drawn.renderMs.toFixed(0)} ms after navigation start`);
    expect(problems).toEqual([]);
    // Probe requests, latency and ready replicas.
    expect(drawn.charts).toBe(3);
    expect(drawn.canvases).toHaveLength(3);
    for (const canvas of drawn.canvases) {
      expect(canvas.width).toBeGreaterThan(0);
      expect(canvas.height).toBeGreaterThan(0);
      expect(canvas.painted).toBeGreaterThan(1000);
    }
    // A sanity bound, not a performance target (it is printed above; the 2 cores are shared with the engines).
    expect(drawn.renderMs).toBeLessThan(5000);
    expect(await page.locator('table.verdicts tbody tr').count()).toBe(3);
    expect(await page.locator('table.events tbody tr').count()).toBeGreaterThanOrEqual(5);
    await page.screenshot({ path: join(ARTIFACTS, 'html-report.png'), fullPage: true });
  });

  it('shows a compare report: statistics tables, a strip plot per measure, every run charted', async () => {
    const { page, problems } = await open(renderCompareHtml(compareFixture()), 'html-report-compare.html');
    const drawn = await chartsDrawn(page);
    console.info(`compare report: ${drawn.charts} charts and ${drawn.svgs.length} strip plots drawn ${drawn.renderMs.toFixed(0)} ms after navigation start`);
    expect(problems).toEqual([]);
    expect(await page.locator('table.measures').count()).toBe(2);
    expect(await page.locator('table.sides').count()).toBe(2);
    // A strip plot per measure measured somewhere in the experiment.
    const measured = compareFixture().comparisons.reduce((sum, comparison) => sum + measuredNames(comparison).length, 0);
    expect(drawn.svgs).toHaveLength(measured);
    for (const svg of drawn.svgs) expect(svg.children).toBeGreaterThan(2);
    expect(drawn.svgs.reduce((sum, svg) => sum + svg.dots, 0)).toBeGreaterThan(20);
    // 6 crash runs: probe requests, latency, replicas; the drain run: replicas only.
    expect(drawn.charts).toBe(6 * 3 + 1);
    for (const canvas of drawn.canvases) expect(canvas.painted, JSON.stringify(canvas)).toBeGreaterThan(100);
    // A sanity bound, not a performance target (it is printed above; the 2 cores are shared with the engines).
    expect(drawn.renderMs).toBeLessThan(5000);
    await page.locator('details.run').first().evaluate((details) => ((details as unknown as InPageElement).open = true));
    await page.screenshot({ path: join(ARTIFACTS, 'html-report-compare.png'), fullPage: true });
  });

  it('opens with the claims at a glance: a row per claim with its status, headline per target and a side-by-side chart; a rollout run gets a version-share chart', async () => {
    const report = withRollout(compareFixture());
    const { page, problems } = await open(renderCompareHtml(report), 'html-report-overview.html');
    const drawn = await chartsDrawn(page);
    expect(problems).toEqual([]);
    const overview = page.locator('table.overview');
    await expect(overview.isVisible()).resolves.toBe(true);
    // The overview comes before the first experiment's section.
    expect(await page.evaluate(() => {
      const { document } = globalThis as unknown as { document: { body: { innerHTML: string } } };
      return document.body.innerHTML.indexOf('class="overview"') < document.body.innerHTML.indexOf('class="experiment"');
    })).toBe(true);
    expect(await overview.locator('tbody tr').count()).toBe(2);
    expect(await overview.locator('tbody tr').first().innerText()).toMatch(/MIXED[\s\S]*recovery time[\s\S]*not recovered 1\/3/);
    // The crash claim: a bar and a dot per iteration on both targets; the drain claim: Kubernetes only, its one run errored.
    expect(drawn.minis[0]).toEqual({ bars: 2, dots: 5 });
    // 6 crash runs (probe, latency, replicas), the drain run (replicas), and the rollout run's version share.
    expect(drawn.charts).toBe(6 * 3 + 1 + 1);
    for (const canvas of drawn.canvases) expect(canvas.painted, JSON.stringify(canvas)).toBeGreaterThan(100);
    await overview.screenshot({ path: join(ARTIFACTS, 'html-report-overview.png') });
    const rolloutRun = page.locator('details.run').nth(3);
    await rolloutRun.evaluate((details) => ((details as unknown as InPageElement).open = true));
    await rolloutRun.screenshot({ path: join(ARTIFACTS, 'html-report-version-share.png') });
  });

  it('reads without JavaScript: the tables are HTML, the noscript note says the charts need it', async () => {
    const { page, problems } = await open(renderCompareHtml(compareFixture()), 'html-report-compare-nojs.html', { javaScriptEnabled: false });
    expect(problems).toEqual([]);
    await expect(page.locator('.noscript').isVisible()).resolves.toBe(true);
    expect(await page.locator('table.measures tbody tr').count()).toBe(compareFixture().comparisons.reduce((sum, comparison) => sum + measuredNames(comparison).length * 2, 0));
    expect(await page.locator('table.overview tbody tr').count()).toBe(2);
    expect(await page.locator('table.overview svg.mini rect.bar').count()).toBeGreaterThan(0);
    expect(await page.locator('svg.strip circle').count()).toBeGreaterThan(20);
    expect(await page.locator('.uplot').count()).toBe(0);
  });
});

/** The compare fixture with one Kubernetes run whose answers switch from v1 to v2 at 5 s (a rollout as the client sees it). */
function withRollout(report: CompareReport): CompareReport {
  const run = report.runs[3]!;
  run.timeline = run.timeline.map((entry) => (entry.kind === 'request' && entry.data.ok ? { ...entry, data: { ...entry.data, version: entry.t < 5000 ? 'v1' : 'v2' } } : entry));
  return report;
}
