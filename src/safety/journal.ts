import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { faultCatalog, type FaultUndo } from '../faults/index.js';

// The journal: before a fault acts, how to undo it is appended and fsync'd ("planned"); as the
// fault learns more (a container's configuration, the previous replica count) a refined record
// before each step that needs it ("refined"), and the final one once it is in effect ("injected");
// after its rollback an "undone" line. If rebound dies (kill -9, power loss) `rebound recover`
// reads the journals whose run never ended and undoes the last record of each fault left.
// One JSON object per line.

/**
 * Format 2: fault lines carry a typed undo record (`{ target, fault, record }`, the record checked
 * against the fault module's schema before anything is undone). Format 1 (rebound 0.1, no
 * `version`) kept only an action and names; such records are reported, never guessed at.
 */
export const JOURNAL_VERSION = 2;

export type FaultStage = 'planned' | 'refined' | 'injected';

export type JournalLine =
  | {
      type: 'run-started';
      version?: number;
      runId: string;
      pid: number;
      experiment: string;
      target: string;
      at: string;
      /** The experiment file (absolute) and, when it deploys its system, the deploy: for recover's teardown hint. */
      file?: string;
      deploy?: { name: string; namespace?: string };
    }
  | { type: 'fault'; version?: number; runId: string; faultId: string; stage?: FaultStage; description: string; undo: FaultUndo; at: string }
  | { type: 'undone'; runId: string; faultId: string; ok: boolean; action: string; error?: string; at: string }
  | { type: 'run-ended'; runId: string; outcome: string; at: string };

export const DEFAULT_STATE_DIR = '.rebound';

export function journalDirectory(stateDir: string): string {
  return join(stateDir, 'journal');
}

export class Journal {
  private readonly fd: number;
  readonly file: string;

  constructor(
    readonly runId: string,
    stateDir: string,
  ) {
    const directory = journalDirectory(stateDir);
    mkdirSync(directory, { recursive: true });
    this.file = join(directory, `${runId}.jsonl`);
    this.fd = openSync(this.file, 'a');
  }

  /** Appends one line and waits until it is on disk: the caller injects only after this returns. */
  append(line: JournalLine): void {
    const versioned = line.type === 'fault' || line.type === 'run-started' ? { ...line, version: JOURNAL_VERSION } : line;
    writeSync(this.fd, `${JSON.stringify(versioned)}\n`);
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}

export interface UnfinishedFault {
  runId: string;
  faultId: string;
  description: string;
  file: string;
  /** The last undo record journalled for it: what is left to undo. */
  undo?: FaultUndo;
  /** Why the record cannot be undone automatically (an older journal format, a damaged line): say it, undo nothing. */
  unreadable?: string;
}

/** One journalled fault and, once undone successfully, how (the run's rollback, or `recover: …`). */
export interface JournalledFault {
  faultId: string;
  description: string;
  undone?: { action: string; at: string };
  /** Its last undo record (the helpers it names are what the reliability figures look for on the engines). */
  lastUndo?: FaultUndo;
}

export interface JournalState {
  runId: string;
  file: string;
  started?: Extract<JournalLine, { type: 'run-started' }>;
  ended: boolean;
  /** Every fault journalled (before its injection), in order. */
  faults: JournalledFault[];
  /** Faults injected and never successfully undone. */
  pending: UnfinishedFault[];
}

/** Reads every journal under the state directory (a torn last line, from a crash mid-write, is ignored). */
export function readJournals(stateDir: string): JournalState[] {
  const directory = journalDirectory(stateDir);
  let files: string[];
  try {
    files = readdirSync(directory).filter((name) => name.endsWith('.jsonl')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return files.map((name) => readJournal(join(directory, name), name.replace(/\.jsonl$/, '')));
}

function readJournal(file: string, runId: string): JournalState {
  const state: JournalState = { runId, file, ended: false, faults: [], pending: [] };
  const pending = new Map<string, UnfinishedFault>();
  const faults = new Map<string, JournalledFault>();
  for (const text of readFileSync(file, 'utf8').split('\n')) {
    if (text.trim() === '') continue;
    let line: JournalLine;
    try {
      line = JSON.parse(text) as JournalLine;
    } catch {
      continue; // the torn tail of a write interrupted by a crash: nothing after it was acted on
    }
    if (line.type === 'run-started') state.started = line;
    // A fault is journalled several times (planned, refined, injected): the last record counts.
    if (line.type === 'fault') {
      pending.set(line.faultId, { runId, faultId: line.faultId, description: line.description, file, ...readUndo(line) });
      if (!faults.has(line.faultId)) faults.set(line.faultId, { faultId: line.faultId, description: line.description });
      if (line.version !== undefined && line.undo?.record) faults.get(line.faultId)!.lastUndo = line.undo;
    }
    if (line.type === 'undone' && line.ok) {
      pending.delete(line.faultId);
      const fault = faults.get(line.faultId);
      if (fault) fault.undone = { action: line.action, at: line.at };
    }
    if (line.type === 'run-ended') state.ended = true;
  }
  state.pending = [...pending.values()];
  state.faults = [...faults.values()];
  return state;
}

/** The undo record of a fault line, or why it cannot be used. */
function readUndo(line: Extract<JournalLine, { type: 'fault' }>): Pick<UnfinishedFault, 'undo' | 'unreadable'> {
  if (line.version === undefined) {
    const old = line.undo as unknown as { action?: unknown; subjects?: unknown };
    const said = `${String(old?.action)} ${Array.isArray(old?.subjects) ? old.subjects.join(', ') : ''}`.trim();
    return { unreadable: `written by rebound 0.1 (journal format 1), which kept only "${said}": undo that by hand (this rebound reads format ${JOURNAL_VERSION})` };
  }
  const undo = line.undo;
  if (typeof undo?.target !== 'string' || !(undo.fault in faultCatalog) || typeof undo.record?.action !== 'string') {
    return { unreadable: `the journal's undo record is not one this rebound knows: ${JSON.stringify(undo).slice(0, 200)}` };
  }
  return { undo };
}

/** "uncordon (drain-node on kubernetes)": an undo record in a few words, for listings. */
export function describeUndo(fault: UnfinishedFault): string {
  return fault.undo ? `${fault.undo.record.action} (${fault.undo.fault} on ${fault.undo.target})` : `cannot be undone automatically: ${fault.unreadable}`;
}

/** A journal whose process still runs belongs to a live run, which rolls back by itself. */
export function isRunAlive(journal: JournalState, self = process.pid): boolean {
  const pid = journal.started?.pid;
  if (pid === undefined || journal.ended || pid === self) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false; // ESRCH: that process is gone
  }
}
