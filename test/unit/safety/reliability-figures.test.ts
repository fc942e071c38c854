import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JournalLine } from '../../../src/safety/journal.js';
import { findStateDirectories, formatReliabilityFigures, networkPlacesOf, readAllJournals, reliabilityFigures } from '../../../src/safety/reliability-figures.js';

/** A state dir with one journal per run, written as rebound writes them (one JSON line each). */
function stateDir(runs: Record<string, JournalLine[]>): string {
  const root = mkdtempSync(join(tmpdir(), 'rebound-unit-'));
  const directory = join(root, 'nested', 'state');
  mkdirSync(join(directory, 'journal'), { recursive: true });
  for (const [runId, lines] of Object.entries(runs)) writeFileSync(join(directory, 'journal', `${runId}.jsonl`), lines.map((line) => JSON.stringify(line)).join('\n'));
  return root;
}

const at = '2026-12-01T10:00:00.000Z';
const undo = { target: 'docker' as const, fault: 'stop' as const, record: { action: 'start', containers: ['web-0'] } };
const started = (runId: string, when = at): JournalLine => ({ type: 'run-started', runId, pid: 999_999_999, experiment: 'x', target: 'docker', at: when });
const fault = (runId: string, faultId: string): JournalLine => ({ type: 'fault', version: 2, runId, faultId, stage: 'planned', description: `stop web-0 (${faultId})`, undo, at });
const undone = (runId: string, faultId: string, ok: boolean, action = 'started web-0 again'): JournalLine => ({ type: 'undone', runId, faultId, ok, action, at });
const ended = (runId: string): JournalLine => ({ type: 'run-ended', runId, outcome: 'passed', at });

describe('reliability figures', () => {
  const root = stateDir({
    // Journalled twice (planned, then refined), rolled back by the run.
    a: [started('a'), fault('a', 'f1'), fault('a', 'f1'), undone('a', 'f1', true), ended('a')],
    // Killed with -9, then `rebound recover`.
    b: [started('b'), fault('b', 'f2'), undone('b', 'f2', true, 'recover: uncordoned rebound-worker')],
    // A rollback that failed: left over.
    c: [started('c'), fault('c', 'f3'), undone('c', 'f3', false), ended('c')],
    // Before the window.
    d: [started('d', '2026-12-01T09:00:00.000Z'), fault('d', 'f4'), ended('d')],
  });
  const journals = readAllJournals(findStateDirectories(root));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('finds nested state dirs and counts each fault once', () => {
    const figures = reliabilityFigures(journals, { since: Date.parse(at), isAlive: () => false });
    expect(figures).toMatchObject({ runs: 3, unended: 1, injected: 3, rolledBack: 2, byRecover: 1, live: [] });
    expect(figures.leftOver.map((left) => left.faultId)).toEqual(['f3']);
    expect(formatReliabilityFigures(figures)).toMatch(/^faults injected 3 \/ rolled back 2 \/ left over 1 \(3 runs, 1 undone by `rebound recover`, 1 run killed before ending\)\n {2}left over: stop web-0 \(f3\) — undo: start \(stop on docker\)/);
  });

  it('leaves runs still going out: they roll back by themselves', () => {
    const figures = reliabilityFigures(journals, { isAlive: (journal) => journal.runId === 'c' });
    expect(figures).toMatchObject({ runs: 3, injected: 3, rolledBack: 2, leftOver: [expect.objectContaining({ faultId: 'f4' })], live: ['c'] });
  });

  it('reads a format-1 journal (rebound 0.1) but refuses to guess what its record undoes', () => {
    const old = stateDir({ e: [started('e'), { type: 'fault', runId: 'e', faultId: 'f5', description: 'pause web-0', undo: { target: 'docker', action: 'unpause', subjects: ['web-0'] }, at } as unknown as JournalLine] });
    const [journal] = readAllJournals(findStateDirectories(old));
    expect(journal!.pending).toEqual([expect.objectContaining({ faultId: 'f5', unreadable: expect.stringMatching(/^written by rebound 0\.1 \(journal format 1\), which kept only "unpause web-0": undo that by hand/) })]);
    expect(journal!.pending[0]!.undo).toBeUndefined();
    rmSync(old, { recursive: true, force: true });
  });

  it('names the helpers the faults started (their undo records\' helpers[].id), and counts what the engines still hold of them', () => {
    const stress = (id: string): JournalLine => ({ type: 'fault', version: 2, runId: 'h', faultId: `f-${id}`, stage: 'injected', description: 'cpu-stress web-0', undo: { target: 'docker', fault: 'cpu-stress', record: { action: 'stop-helpers', helpers: [{ id, target: 'web-0' }] } }, at });
    const root = stateDir({ h: [started('h'), stress('rb1'), stress('rb2'), undone('h', 'f-rb1', true), undone('h', 'f-rb2', true), ended('h')] });
    const figures = reliabilityFigures(readAllJournals(findStateDirectories(root)), { isAlive: () => false });
    expect(figures.helpers).toEqual([{ target: 'docker', id: 'rb1' }, { target: 'docker', id: 'rb2' }]);
    expect(formatReliabilityFigures(figures, { containers: [], units: [], processes: [] }).split('\n')[1]).toBe('helpers started 2 / left over 0 (0 helper containers, 0 node units, 0 stress processes in their cgroups)');
    expect(formatReliabilityFigures(figures, { containers: ['rebound-helper-rb2 (running)'], units: [], processes: ['6188 stress-ng-cpu [run]'] }).split('\n').slice(1)).toEqual([
      'helpers started 2 / left over 2 (1 helper containers, 0 node units, 1 stress processes in their cgroups)',
      '  left over: helper container rebound-helper-rb2 (running); run `rebound recover`, or stop it by hand',
      '  left over: process 6188 stress-ng-cpu [run]; run `rebound recover`, or stop it by hand',
    ]);
    rmSync(root, { recursive: true, force: true });
  });

  it('finds nothing where there is nothing', () => {
    expect(findStateDirectories(join(root, 'missing'))).toEqual([]);
  });
});

describe('network fault places', () => {
  it('reads the namespaces and helpers a network fault\'s undo record names', () => {
    expect(networkPlacesOf({ target: 'docker', fault: 'partition', record: { action: 'remove-network-fault', helpers: [{ id: 'rb1', target: 'c0ffee', name: 'web-0', remove: 'x' }] } })).toEqual([
      { target: 'docker', helper: 'rb1', container: 'c0ffee', name: 'web-0' },
    ]);
    expect(networkPlacesOf({ target: 'kubernetes', fault: 'network-delay', record: { action: 'remove-network-fault', namespace: 'demo', helpers: [{ id: 'rb2', node: 'w1', pod: 'demo-1', netns: '/var/run/netns/cni-1', remove: 'x' }] } })).toEqual([
      { target: 'kubernetes', helper: 'rb2', node: 'w1', netns: '/var/run/netns/cni-1', pod: 'demo-1' },
    ]);
    expect(networkPlacesOf({ target: 'kubernetes', fault: 'partition-node', record: { action: 'heal-node', node: 'w2', helpers: [{ id: 'rb3', node: 'w2', remove: 'x' }] } })).toEqual([{ target: 'kubernetes', helper: 'rb3', node: 'w2' }]);
    expect(networkPlacesOf({ target: 'docker', fault: 'stop', record: { action: 'start', containers: ['web-0'] } })).toEqual([]);
    expect(networkPlacesOf(undefined)).toEqual([]);
  });

  it('collects them over the counted runs from each fault\'s last record', () => {
    const record = { target: 'docker' as const, fault: 'partition' as const, record: { action: 'remove-network-fault', helpers: [{ id: 'rb9', target: 'c1', name: 'web-1', remove: 'x' }] } };
    const root = stateDir({
      n: [started('n'), { type: 'fault', version: 2, runId: 'n', faultId: 'f', stage: 'planned', description: 'partition web-1', undo: { ...record, record: { action: 'remove-network-fault', helpers: [] } }, at }, { type: 'fault', version: 2, runId: 'n', faultId: 'f', stage: 'injected', description: 'partition web-1', undo: record, at }, undone('n', 'f', true), ended('n')],
    });
    try {
      expect(reliabilityFigures(readAllJournals(findStateDirectories(root))).networkPlaces).toEqual([{ target: 'docker', helper: 'rb9', container: 'c1', name: 'web-1' }]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
