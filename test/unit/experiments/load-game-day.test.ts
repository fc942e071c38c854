import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/common/errors.js';
import { parseExperiment } from '../../../src/experiments/load-experiment.js';
import { loadExperimentsOrGameDays, parseGameDay } from '../../../src/experiments/load-game-day.js';
import { parseNotesFile } from '../../../src/experiments/load-notes-file.js';

// Bad game-day files get the same located errors as experiment files: file:line:col, the field
// path in the game day, what was expected, a suggestion — also for inline experiment fields
// (checked by the experiment schema where they are merged) and for experiment files a step names.
const directory = mkdtempSync(join(tmpdir(), 'rebound-gameday-unit-'));
const file = join(directory, 'game-day.yaml');

const HEAD = `apiVersion: rebound/v1
kind: GameDay
metadata: { name: demo }
title: Demo game day
team:
  - { name: Ada, role: facilitator }
`;

async function issuesOf(text: string) {
  try {
    await parseGameDay(text, file);
  } catch (error) {
    if (error instanceof ValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('game-day files', () => {
  it('resolves inline steps on defaults, file steps relative to the game day, and manual checks', async () => {
    writeFileSync(join(directory, 'crash.yaml'), `apiVersion: rebound/v1
kind: Experiment
metadata: { name: crash-one }
target: kubernetes
system: { selector: { app: web } }
faults: [{ crash: { count: 1 } }]
`);
    const gameDay = await parseGameDay(`${HEAD}target: docker
defaults:
  system: { selector: { app: web }, url: http://127.0.0.1:18080/ }
  duration: 10s
steps:
  - name: pause-one
    hypothesis: requests hang, then are answered
    faults: [{ pause: { count: 1, duration: 2s }, at: 1s }]
    duration: 5s
  - name: crash-from-file
    hypothesis: it comes back
    experiment: crash.yaml
    assertions: [{ recoveryTime: { max: 5s } }]
  - name: paged
    hypothesis: the on-call was paged
    check: ask the on-call
`, file);
    expect(gameDay.team).toEqual([{ name: 'Ada', role: 'facilitator' }]);
    const [inline, fromFile, check] = gameDay.steps;
    expect(inline).toMatchObject({ kind: 'experiment', inline: true, file, target: 'docker' });
    if (inline?.kind !== 'experiment' || fromFile?.kind !== 'experiment') throw new Error('experiment steps expected');
    expect(inline.experiment.metadata.name).toBe('pause-one');
    expect(inline.experiment.duration).toBe(5000); // the step's field replaces the default
    expect(inline.experiment.system.url).toBe('http://127.0.0.1:18080/');
    expect(fromFile).toMatchObject({ inline: false, file: join(directory, 'crash.yaml'), target: 'docker' }); // the game day's target over the file's
    expect(fromFile.experiment.assertions.map((assertion) => assertion.name)).toEqual(['recoveryTime']);
    expect(check).toMatchObject({ kind: 'check', check: 'ask the on-call' });
  });

  it('locates an unknown step field with a suggestion', async () => {
    const issues = await issuesOf(`${HEAD}steps:\n  - name: a\n    hypotesis: x\n    check: y\n`);
    expect(issues).toEqual([
      expect.objectContaining({ file, line: 8, path: 'steps[0].hypothesis', message: 'missing required field `hypothesis`', suggestion: 'add it; `rebound schema --game-day` shows every field' }),
      expect.objectContaining({ file, line: 9, column: 5, path: 'steps[0].hypotesis', message: 'unknown field `hypotesis`', suggestion: 'did you mean `hypothesis`?' }),
    ]);
  });

  it('locates a missing hypothesis, and a step that is two things', async () => {
    const issues = await issuesOf(`${HEAD}steps:\n  - name: a\n    check: y\n  - name: b\n    hypothesis: h\n    check: y\n    experiment: x.yaml\n`);
    expect(issues.map((issue) => [issue.path, issue.line, issue.message])).toEqual([
      ['steps[0].hypothesis', 8, 'missing required field `hypothesis`'],
      ['steps[1]', 10, 'a step is one thing, found `experiment` and `check`: split it into two steps'],
    ]);
  });

  it('locates an inline fault typo in the step and a bad default in defaults, each once', async () => {
    const issues = await issuesOf(`${HEAD}defaults:
  system: { selector: { app: web } }
  probe: { timout: 1s }
steps:
  - name: a
    hypothesis: h
    faults: [{ crsh: { count: 1 } }]
  - name: b
    hypothesis: h
    faults: [{ kill: { count: 1 } }]
`);
    expect(issues.map((issue) => [issue.path, issue.line, issue.column, issue.suggestion])).toEqual([
      ['defaults.probe.timout', 9, 12, 'did you mean `timeout`?'],
      ['steps[0].faults[0].crsh', 13, 16, 'did you mean `crash`?'],
    ]);
  });

  it('says where a required experiment field may go when neither the step nor defaults gives it', async () => {
    const [issue] = await issuesOf(`${HEAD}steps:\n  - name: a\n    hypothesis: h\n    faults: [{ kill: { count: 1 } }]\n`);
    expect(issue).toMatchObject({ path: 'steps[0]', line: 8, message: 'missing required field `system`', suggestion: "give it in the step, or in the game day's `defaults` for every inline step" });
  });

  it('refuses experiment fields beside `experiment: <file>`, and fields on a manual check', async () => {
    const issues = await issuesOf(`${HEAD}steps:\n  - name: a\n    hypothesis: h\n    experiment: x.yaml\n    duration: 5s\n  - name: b\n    hypothesis: h\n    check: c\n    faults: []\n`);
    expect(issues.map((issue) => issue.path)).toEqual(['steps[0].duration', 'steps[1]']);
  });

  it('names a missing experiment file where the step names it, and a bad one in that file', async () => {
    writeFileSync(join(directory, 'bad.yaml'), 'apiVersion: rebound/v1\nkind: Experiment\nmetadata: { name: bad }\nsystem: {}\nfaults: [{ kil: {} }]\n');
    const issues = await issuesOf(`${HEAD}steps:\n  - name: a\n    hypothesis: h\n    experiment: missing.yaml\n  - name: b\n    hypothesis: h\n    experiment: bad.yaml\n`);
    expect(issues[0]).toMatchObject({ file, line: 10, column: 17, path: 'steps[0].experiment' });
    expect(issues[0]!.message).toMatch(/^cannot read experiment file .*missing\.yaml: ENOENT/);
    expect(issues[1]).toMatchObject({ file: join(directory, 'bad.yaml'), line: 5, path: 'faults[0].kil', suggestion: 'did you mean `kill`?' });
  });

  it('refuses duplicate step names, an experiment given as a game day, and the other way round', async () => {
    const [duplicate] = await issuesOf(`${HEAD}steps:\n  - { name: a, hypothesis: h, check: c }\n  - { name: a, hypothesis: h, check: c }\n`);
    expect(duplicate).toMatchObject({ path: 'steps[1].name', line: 9, message: 'step name `a` is already used by step 1: names must be unique' });
    const [kind] = await issuesOf('apiVersion: rebound/v1\nkind: Experiment\nmetadata: { name: x }\n');
    expect(kind).toMatchObject({ path: 'kind', line: 2, column: 7 });
    expect(kind!.message).toContain('run it with `rebound run`');
    expect(() => parseExperiment(`${HEAD}steps: []\n`, 'g.yaml')).toThrow(/g\.yaml:2:7 kind: this file is a game day \(kind: GameDay\), not an experiment: run it with `rebound gameday`/);
  });

  it('gives `rebound teardown` the experiments of a game day, each limited to its step\'s target', async () => {
    const gameDayFile = join(directory, 'teardown-me.yaml');
    writeFileSync(gameDayFile, `${HEAD}steps:\n  - name: a\n    hypothesis: h\n    target: kubernetes\n    system: { selector: { app: web } }\n    faults: [{ kill: { count: 1 } }]\n  - { name: b, hypothesis: h, check: c }\n`);
    const loaded = await loadExperimentsOrGameDays([gameDayFile]);
    expect(loaded.map(({ file: from, experiment }) => [from, experiment.metadata.name, experiment.targets])).toEqual([[gameDayFile, 'a', ['kubernetes']]]);
  });
});

describe('notes files', () => {
  const gameDay = { file: 'g.yaml', name: 'g', title: 'G', team: [], steps: [{ index: 0, name: 'pause-one', hypothesis: 'h', kind: 'check' as const, check: 'c' }] };

  it('reads notes (times relative to the game day or a step) and answers', () => {
    const notes = parseNotesFile('notes:\n  - { at: 2s, step: pause-one, text: "! page sooner" }\n  - { at: 90, text: later }\nanswers:\n  pause-one: { verdict: not-held, note: too slow }\n', 'n.yaml', gameDay);
    expect(notes.notes).toEqual([
      { at: 2000, step: 'pause-one', text: '! page sooner' },
      { at: 90_000, text: 'later' },
    ]);
    expect(notes.answers['pause-one']).toEqual({ verdict: 'not-held', note: 'too slow' });
  });

  it('locates a step the game day does not have, with a suggestion, and a bad verdict', () => {
    expect(() => parseNotesFile('notes:\n  - { at: 2s, step: pause-on, text: x }\n', 'n.yaml', gameDay)).toThrow(/^n\.yaml:2:21 notes\[0\]\.step: no step `pause-on` in g\.yaml — did you mean `pause-one`\?/);
    expect(() => parseNotesFile('answers:\n  pause-one: { verdict: yes }\n', 'n.yaml', gameDay)).toThrow(/^n\.yaml:2:25 answers\.pause-one\.verdict: not an accepted value/);
  });
});

describe('the worked example', () => {
  it('experiments/gameday/demo-app.yaml and its notes file validate: Docker and Kubernetes steps, checks, a file step', async () => {
    const { loadGameDay } = await import('../../../src/experiments/load-game-day.js');
    const { loadNotesFile } = await import('../../../src/experiments/load-notes-file.js');
    const gameDay = await loadGameDay('experiments/gameday/demo-app.yaml');
    expect(gameDay.steps.map((step) => (step.kind === 'check' ? 'check' : `${step.target}${step.inline ? '' : ' (file)'}`))).toEqual(['docker', 'docker', 'check', 'kubernetes', 'kubernetes (file)', 'check']);
    expect(gameDay.team.length).toBeGreaterThan(0);
    const notes = await loadNotesFile('experiments/gameday/notes/demo-app.yaml', gameDay);
    expect(Object.keys(notes.answers).sort()).toEqual(gameDay.steps.map((step) => step.name).sort());
  });
});
