import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TargetKind } from '../common/target-kind.js';
import type { JournalledUndo } from '../faults/index.js';
import { describeUndo, isRunAlive, type JournalState, readJournals, type UnfinishedFault } from './journal.js';

// "Never leave a mess", counted: over every journal a set of runs wrote (an integration suite, a
// game day), how many faults were injected, how many were rolled back (by the run itself or later
// by `rebound recover`), and what is left over. Left over must be 0.

export interface ReliabilityFigures {
  runs: number;
  /** Runs whose journal has no end: killed on purpose (kill -9 tests) or crashed. */
  unended: number;
  /** Faults journalled, i.e. about to be injected (an injection that failed half-way counts, and was undone). */
  injected: number;
  /** Faults with a successful `undone` line. */
  rolledBack: number;
  /** Of those, undone by `rebound recover` after the run died. */
  byRecover: number;
  leftOver: UnfinishedFault[];
  /** Runs still going (their process is alive): they roll back by themselves, not counted. */
  live: string[];
  /**
   * The helpers the counted faults started (Docker helper containers, kind node units), from their
   * undo records' `helpers[].id`: what `engineLeftovers` must not find on the engines any more.
   */
  helpers: JournalledHelper[];
  /**
   * Where the counted network faults acted, from their undo records: the network namespaces (and
   * the helpers) that must hold nothing of rebound's any more, checked on the engines by the caller.
   */
  networkPlaces: NetworkPlace[];
}

export interface JournalledHelper {
  target: TargetKind;
  id: string;
}

/** What is left on the engines of the journalled helpers (filled by the caller, who may talk to engines). */
export interface EngineLeftovers {
  /** Helper containers still there, "rebound-helper-<id> (state)". */
  containers: string[];
  /** Helper units still loaded in kind nodes, "<node>: rebound-helper-<id>.service (state)". */
  units: string[];
  /** Processes (stress-ng, dd, the driver) still in a helper's cgroup, "<pid> <command>". */
  processes: string[];
}

/** The helper ids an undo record names (`helpers: [{ id }]`: the records of the faults done by a helper). */
export function helpersOfUndo(undo: JournalledUndo | undefined): JournalledHelper[] {
  const helpers = (undo?.record as { helpers?: unknown } | undefined)?.helpers;
  if (!Array.isArray(helpers)) return [];
  return helpers.flatMap((helper: unknown) => {
    const id = (helper as { id?: unknown } | null)?.id;
    return typeof id === 'string' && undo ? [{ target: undo.target, id }] : [];
  });
}

/** A network fault's place: its helper, and the namespace it changed (a container's, a pod's, a node's own). */
export type NetworkPlace =
  | { target: 'docker'; helper: string; container: string; name: string }
  | { target: 'kubernetes'; helper: string; node: string; /** The pod's namespace file in the node; absent: the node's own namespace. */ netns?: string; pod?: string };

/** The places a network fault's undo record names (remove-network-fault, heal-node); [] for other faults. */
export function networkPlacesOf(undo: JournalledUndo | undefined): NetworkPlace[] {
  const record = undo?.record as { action?: string; node?: string; helpers?: Record<string, unknown>[] } | undefined;
  if (!undo || !Array.isArray(record?.helpers) || (record.action !== 'remove-network-fault' && record.action !== 'heal-node')) return [];
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return record.helpers.flatMap((helper): NetworkPlace[] => {
    const id = text(helper.id);
    if (id === undefined) return [];
    if (undo.target === 'docker') {
      const container = text(helper.target);
      return container === undefined ? [] : [{ target: 'docker', helper: id, container, name: text(helper.name) ?? container }];
    }
    const node = text(helper.node) ?? record.node;
    const netns = text(helper.netns);
    const pod = text(helper.pod);
    return node === undefined ? [] : [{ target: 'kubernetes', helper: id, node, ...(netns !== undefined && { netns }), ...(pod !== undefined && { pod }) }];
  });
}

export interface FigureOptions {
  /** Only journals of runs started at or after this (epoch ms). */
  since?: number;
  isAlive?: (journal: JournalState) => boolean;
}

export function reliabilityFigures(journals: readonly JournalState[], options: FigureOptions = {}): ReliabilityFigures {
  const isAlive = options.isAlive ?? ((journal) => isRunAlive(journal));
  const figures: ReliabilityFigures = { runs: 0, unended: 0, injected: 0, rolledBack: 0, byRecover: 0, leftOver: [], live: [], helpers: [], networkPlaces: [] };
  for (const journal of journals) {
    const started = journal.started ? Date.parse(journal.started.at) : Number.NaN;
    if (options.since !== undefined && !(started >= options.since)) continue;
    if (isAlive(journal)) {
      figures.live.push(journal.runId);
      continue;
    }
    figures.runs++;
    if (!journal.ended) figures.unended++;
    figures.injected += journal.faults.length;
    for (const fault of journal.faults) {
      figures.helpers.push(...helpersOfUndo(fault.lastUndo));
      figures.networkPlaces.push(...networkPlacesOf(fault.lastUndo));
      if (fault.undone === undefined) continue;
      figures.rolledBack++;
      if (fault.undone.action.startsWith('recover:')) figures.byRecover++;
    }
    figures.leftOver.push(...journal.pending);
  }
  return figures;
}

/** Everything left on the engines, as one list ([] = nothing). */
export function engineLeftoverList(engine: EngineLeftovers): string[] {
  return [...engine.containers.map((item) => `helper container ${item}`), ...engine.units.map((item) => `node unit ${item}`), ...engine.processes.map((item) => `process ${item}`)];
}

/**
 * "faults injected 41 / rolled back 41 / left over 0 (…)", then one line per leftover; with `engine`
 * (what the caller found of the journalled helpers), a line counting helper containers, node units
 * and stress processes left over.
 */
export function formatReliabilityFigures(figures: ReliabilityFigures, engine?: EngineLeftovers): string {
  const notes = [
    `${figures.runs} run${figures.runs === 1 ? '' : 's'}`,
    ...(figures.byRecover > 0 ? [`${figures.byRecover} undone by \`rebound recover\``] : []),
    ...(figures.unended > 0 ? [`${figures.unended} run${figures.unended === 1 ? '' : 's'} killed before ending`] : []),
    ...(figures.live.length > 0 ? [`${figures.live.length} still running, not counted`] : []),
  ];
  const lines = [`faults injected ${figures.injected} / rolled back ${figures.rolledBack} / left over ${figures.leftOver.length} (${notes.join(', ')})`];
  for (const fault of figures.leftOver) lines.push(`  left over: ${fault.description} — undo: ${describeUndo(fault)} (${fault.file}); run \`rebound recover\``);
  if (engine !== undefined) {
    const left = engineLeftoverList(engine);
    lines.push(`helpers started ${figures.helpers.length} / left over ${left.length} (${engine.containers.length} helper containers, ${engine.units.length} node units, ${engine.processes.length} stress processes in their cgroups)`);
    for (const item of left) lines.push(`  left over: ${item}; run \`rebound recover\`, or stop it by hand`);
  }
  return lines.join('\n');
}

/** Every state directory (one holding a journal/ folder) at or below `root`, at most `depth` levels down. */
export function findStateDirectories(root: string, depth = 3): string[] {
  let names: string[];
  try {
    names = readdirSync(root, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES') return [];
    throw error;
  }
  const here = names.includes('journal') ? [root] : [];
  if (depth === 0) return here;
  return [...here, ...names.filter((name) => name !== 'journal').flatMap((name) => findStateDirectories(join(root, name), depth - 1))];
}

/** Journals of every state directory given, each read once. */
export function readAllJournals(stateDirs: readonly string[]): JournalState[] {
  const byFile = new Map<string, JournalState>();
  for (const journal of stateDirs.flatMap((dir) => readJournals(dir))) byFile.set(resolve(journal.file), journal);
  return [...byFile.values()];
}
