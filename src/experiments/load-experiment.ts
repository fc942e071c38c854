import { readFile } from 'node:fs/promises';
import { ValidationError } from '../common/errors.js';
import { experimentFileSize, experimentFiles, unreadablePath } from './experiment-files.js';
import { type Experiment, experimentSchema } from './schema.js';
import { locateIssues } from './locate-issues.js';
import { type MappingKind, parseYamlMapping } from './parse-yaml-mapping.js';

// Hostile input is bounded: a file larger than this is refused before parsing (the YAML limits on
// lines, nesting and aliases are in parse-yaml-mapping.ts).
export const MAX_FILE_BYTES = 1024 * 1024;

const EXPERIMENT_MAPPING: MappingKind = {
  what: 'an experiment',
  expected: 'a mapping with apiVersion: rebound/v1, kind: Experiment, metadata, system, faults',
  suggestion: 'start from an example in experiments/, or run `rebound schema` for the full format',
};

export interface LoadedExperiment {
  file: string;
  experiment: Experiment;
}

/** Reads, parses and validates an experiment file; throws ValidationError with located issues. */
export async function loadExperiment(file: string): Promise<LoadedExperiment> {
  return { file, experiment: parseExperiment(await readInputFile(file), file) };
}

/** The text of an experiment or game-day file, after checking it is a regular file of at most MAX_FILE_BYTES. */
export async function readInputFile(file: string): Promise<string> {
  const size = experimentFileSize(file);
  if (size > MAX_FILE_BYTES) {
    throw new ValidationError([
      { file, line: 1, column: 1, path: '', message: `file is ${size} bytes; experiment files are limited to ${MAX_FILE_BYTES}` },
    ]);
  }
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw unreadablePath(file, error); // e.g. EACCES: stat needs no read permission, reading does
  }
}

/** Parses and validates experiment text (exported for tests and the fuzz suite). */
export function parseExperiment(text: string, file = '<input>'): Experiment {
  const { value, document, lineCounter } = parseYamlMapping(text, file, EXPERIMENT_MAPPING);
  // `rebound run` given a game day: say which command runs it rather than "not an accepted value".
  if (value.kind === 'GameDay') {
    throw new ValidationError(locateIssues([{ code: 'custom', path: ['kind'], message: 'this file is a game day (kind: GameDay), not an experiment: run it with `rebound gameday`', input: value.kind }], document, lineCounter, file));
  }
  const result = experimentSchema.safeParse(value, { reportInput: true });
  if (!result.success) throw new ValidationError(locateIssues(result.error.issues, document, lineCounter, file));
  return result.data;
}

/** Files as given; a directory stands for its *.yaml / *.yml files in name order. All validated before anything runs. */
export async function loadExperiments(paths: readonly string[]): Promise<LoadedExperiment[]> {
  const loaded: LoadedExperiment[] = [];
  for (const file of paths.flatMap(experimentFiles)) loaded.push(await loadExperiment(file));
  return loaded;
}
