import { describe, expect, it } from 'vitest';
import type { GameDayReport } from '../../../src/gameday/game-day-report.js';
import { gameDayTimeline } from '../../../src/gameday/game-day-timeline.js';
import { renderGameDayHtml } from '../../../src/reporters/html-reporter.js';
import { renderGameDayJson } from '../../../src/reporters/json-reporter.js';
import { renderGameDayMarkdown } from '../../../src/reporters/render-game-day-markdown.js';
import { NASTY, singleRunFixture, WALL_CLOCK_AT_ZERO } from './fixture.js';

// The post-mortem from a hand-made game day: a step that ran (one run of the reporters' fixture,
// starting 2 s into the game day), a skipped check, a step stopped with the stop key, one left
// unrun; notes and an action item. Markdown, HTML and JSON say the same things.
function gameDayFixture(): GameDayReport {
  const run = { ...singleRunFixture().runs[0]!, wallClockAtZero: WALL_CLOCK_AT_ZERO + 2000 };
  run.timeline = [...run.timeline, { t: 3000, source: 'human' as const, kind: 'note' as const, data: { text: 'requests hang' } }].sort((a, b) => a.t - b.t);
  const step = { kind: 'experiment' as const, target: 'docker' as const, file: 'g.yaml', inline: true, notes: [], rollbacks: [] };
  return {
    tool: { name: 'rebound', version: '0.0.0-test' },
    gameDay: { name: 'g', title: 'Test day', file: 'g.yaml', team: [{ name: 'Ada', role: 'facilitator' }] },
    mode: 'interactive',
    startedAt: new Date(WALL_CLOCK_AT_ZERO).toISOString(),
    wallClockAtZero: WALL_CLOCK_AT_ZERO,
    durationMs: 30_000,
    outcome: 'stopped',
    stop: { t: 20_000, by: 'the stop key (x)', step: 2, undone: ['pause: unpaused web-1 (42 ms after the stop)'], rollbackMs: 42 },
    preflight: { ok: true, durationMs: 300, checks: [{ check: 'state dir writable', ok: true, detail: 'journals go to .rebound/journal' }] },
    steps: [
      { ...step, index: 0, name: 'crash-one', hypothesis: `it comes back ${NASTY}`, status: 'ran', runs: [0], startedAt: 1000, endedAt: 15_000, assertions: { verdict: 'not-held', text: '1 of 1 failed' }, team: { verdict: 'held', note: 'looked fine', t: 15_500, from: 'facilitator' } },
      { index: 1, name: 'paged', kind: 'check', check: 'ask the on-call', hypothesis: 'paged', status: 'skipped', reason: 'skipped by the facilitator', runs: [], assertions: { verdict: 'none', text: 'a manual check: only the team judges it' }, notes: [], rollbacks: [] },
      { ...step, index: 2, name: 'pause-one', hypothesis: 'hangs', status: 'stopped', runs: [], startedAt: 16_000, endedAt: 20_100, assertions: { verdict: 'not-judged', text: 'not judged: interrupted by the stop key (x)' }, rollbacks: [{ name: 'pause', ok: true, action: 'unpaused web-1', t: 20_042 }] },
      { ...step, index: 3, name: 'later', hypothesis: 'h', status: 'not-run', reason: 'not run: the game day was stopped (the stop key (x))', runs: [], assertions: { verdict: 'not-judged', text: 'did not run' } },
    ],
    notes: [
      { t: 5000, text: 'requests hang', actionItem: false, step: 0, from: 'facilitator' },
      { t: 18_000, text: 'alert sooner', actionItem: true, step: 2, from: 'facilitator' },
    ],
    events: [
      { t: 0, kind: 'started', text: 'game day g started (interactive)' },
      { t: 20_000, kind: 'stopped', step: 2, text: 'stopped by the stop key (x) during step 3: rolling back everything' },
    ],
    runs: [run],
  };
}

describe('game-day post-mortem', () => {
  it('one timeline on the game-day clock: events, notes, and each run\'s faults moved by its start', () => {
    const items = gameDayTimeline(gameDayFixture());
    expect(items.map((item) => item.t)).toEqual([...items.map((item) => item.t)].sort((a, b) => a - b));
    expect(items.find((item) => item.kind === 'run')).toMatchObject({ t: 2000, step: 0 });
    expect(items.filter((item) => item.kind === 'note' || item.kind === 'action-item').map((item) => [item.t, item.text])).toEqual([[5000, 'requests hang'], [18_000, 'alert sooner']]);
  });

  it('Markdown: who, plan, outcomes side by side, the timeline with notes, rolled back, action items', () => {
    const markdown = renderGameDayMarkdown(gameDayFixture());
    for (const heading of ['# Game day: Test day', '## Who took part', '## Plan', '## Outcome', '## Step 1: crash-one', '## Timeline', '## Rolled back', '## Action items']) expect(markdown).toContain(heading);
    expect(markdown).toContain('**STOPPED by the stop key (x) at 20.0 s during step 3 pause-one, every fault rolled back 42 ms after it**');
    expect(markdown).toContain('| 1 | crash-one | ran in 14.00 s | held — looked fine | did not hold: 1 of 1 failed | DISAGREE |');
    expect(markdown).toContain('| 2 | paged | skipped (skipped by the facilitator) |');
    expect(markdown).toContain('| 5.0 s | 1 | 📝 | **note:** requests hang |');
    expect(markdown).toContain('- [ ] alert sooner _(18.0 s, step 3 pause-one)_');
    expect(markdown).not.toContain('\u001b');
  });

  it('HTML: the same sections, escaped, with the run\'s charts (the note as a marker) below', () => {
    const html = renderGameDayHtml(gameDayFixture());
    expect(html).toContain('<h1>Game day: Test day</h1>');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('❗ action item: alert sooner');
    const data = JSON.parse(/<script type="application\/json" id="rebound-data">(.*?)<\/script>/s.exec(html)![1]!) as { runs: { markers: { kind: string; t: number }[] }[] };
    expect(data.runs[0]!.markers).toContainEqual(expect.objectContaining({ kind: 'note', t: 3000 }));
  });

  it('JSON: the whole report, read back equal', () => {
    const report = gameDayFixture();
    expect(JSON.parse(renderGameDayJson(report))).toEqual(JSON.parse(JSON.stringify(report)));
  });
});
