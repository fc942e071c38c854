import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import type { Document, LineCounter } from 'yaml';
import { ReboundError, ValidationError, type ValidationIssue } from '../common/errors.js';
import type { TargetKind } from '../common/target-kind.js';
import { type GameDayFile, type GameDayStepFile, gameDaySchema, INLINE_EXPERIMENT_KEYS } from './game-day-schema.js';
import { experimentFiles } from './experiment-files.js';
import { loadExperiment, readInputFile } from './load-experiment.js';
import { locateIssues } from './locate-issues.js';
import { type MappingKind, parseYamlMapping } from './parse-yaml-mapping.js';
import { type Experiment, experimentSchema } from './schema.js';

const GAME_DAY_MAPPING: MappingKind = {
  what: 'a game day',
  expected: 'a mapping with apiVersion: rebound/v1, kind: GameDay, metadata, title, team, steps',
  suggestion: 'start from experiments/gameday/, or see "Game days" in the README',
};

interface StepBase {
  /** 0-based position in the game day. */
  index: number;
  name: string;
  title?: string;
  hypothesis: string;
}

/** A step that runs an experiment, exactly as `rebound run` would. */
export interface ExperimentStep extends StepBase {
  kind: 'experiment';
  /** The experiment file, or the game-day file for an inline step (setup commands run from its folder). */
  file: string;
  inline: boolean;
  experiment: Experiment;
  target: TargetKind;
}

/** A step the team carries out or looks at; rebound only asks whether the hypothesis held. */
export interface CheckStep extends StepBase {
  kind: 'check';
  check: string;
}

export type GameDayStep = ExperimentStep | CheckStep;

export interface GameDay {
  file: string;
  name: string;
  title: string;
  description?: string;
  team: { name: string; role: string }[];
  steps: GameDayStep[];
}

/** Reads and validates a game-day file and every experiment it names; throws one ValidationError with every problem located. */
export async function loadGameDay(file: string): Promise<GameDay> {
  return parseGameDay(await readInputFile(file), file);
}

/** Parses and validates game-day text; experiment files it names are read relative to `file`. */
export async function parseGameDay(text: string, file = '<input>'): Promise<GameDay> {
  const { value, document, lineCounter } = parseYamlMapping(text, file, GAME_DAY_MAPPING);
  if (value.kind === 'Experiment') {
    throw new ValidationError(locateIssues([{ code: 'custom', path: ['kind'], message: 'this file is an experiment (kind: Experiment), not a game day: run it with `rebound run`, or name it in a game-day step (experiment: <file>)', input: value.kind }], document, lineCounter, file, { schema: gameDaySchema }));
  }
  const parsed = gameDaySchema.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    const issues = locateIssues(parsed.error.issues, document, lineCounter, file, { schema: gameDaySchema });
    throw new ValidationError(issues.map((issue) => (issue.suggestion?.includes('`rebound schema`') ? { ...issue, suggestion: 'add it; `rebound schema --game-day` shows every field' } : issue)));
  }
  const gameDay = parsed.data;
  const issues: ValidationIssue[] = [];
  const steps: GameDayStep[] = [];
  for (const [index, step] of gameDay.steps.entries()) {
    const resolved = await resolveStep(gameDay, step, index, { file, document, lineCounter, issues });
    if (resolved) steps.push(resolved);
  }
  if (issues.length > 0) throw new ValidationError(dedupe(issues));
  return {
    file,
    name: gameDay.metadata.name,
    title: gameDay.title,
    ...(gameDay.metadata.description !== undefined && { description: gameDay.metadata.description }),
    team: gameDay.team,
    steps,
  };
}

interface Source {
  file: string;
  document: Document;
  lineCounter: LineCounter;
  issues: ValidationIssue[];
}

async function resolveStep(gameDay: GameDayFile, step: GameDayStepFile, index: number, source: Source): Promise<GameDayStep | undefined> {
  const base = { index, name: step.name, ...(step.title !== undefined && { title: step.title }), hypothesis: step.hypothesis };
  if (step.check !== undefined) return { ...base, kind: 'check', check: step.check };
  if (step.experiment !== undefined) return fileStep(gameDay, step, index, base, source);
  return inlineStep(gameDay, step, index, base, source);
}

const extraAssertions = z.strictObject({ assertions: experimentSchema.shape.assertions });

/** `experiment: <file>`: that file, validated where it is (its errors name it), plus the step's expected signals. */
async function fileStep(gameDay: GameDayFile, step: GameDayStepFile, index: number, base: Omit<ExperimentStep, 'kind' | 'file' | 'inline' | 'experiment' | 'target'>, source: Source): Promise<ExperimentStep | undefined> {
  const path = resolve(dirname(source.file), step.experiment!);
  let experiment: Experiment;
  try {
    ({ experiment } = await loadExperiment(path));
  } catch (error) {
    if (error instanceof ValidationError) source.issues.push(...error.issues);
    // Unreadable (missing, a directory, permission denied): said where the game day names it.
    else if (error instanceof ReboundError) source.issues.push(...locate([{ code: 'custom', path: ['steps', index, 'experiment'], message: error.message, input: step.experiment }], source, {}));
    else throw error;
    return undefined;
  }
  if (step.assertions !== undefined) {
    const added = extraAssertions.safeParse({ assertions: step.assertions }, { reportInput: true });
    if (!added.success) {
      source.issues.push(...locate(added.error.issues, source, { schema: extraAssertions, documentPath: (at) => ['steps', index, ...at] }));
      return undefined;
    }
    experiment = { ...experiment, assertions: [...experiment.assertions, ...added.data.assertions] };
  }
  return { ...base, kind: 'experiment', file: path, inline: false, experiment, target: step.target ?? gameDay.target ?? experiment.target ?? 'docker' };
}

/**
 * Inline: the experiment is the game day's `defaults` with the step's own fields on top (a step's
 * field replaces the default one whole), validated by the experiment schema; each problem is
 * located where its field was written — in the step, or in `defaults`.
 */
function inlineStep(gameDay: GameDayFile, step: GameDayStepFile, index: number, base: Omit<ExperimentStep, 'kind' | 'file' | 'inline' | 'experiment' | 'target'>, source: Source): ExperimentStep | undefined {
  const own = pick(step);
  const defaults = pick(gameDay.defaults);
  const merged = {
    apiVersion: 'rebound/v1',
    kind: 'Experiment',
    metadata: { name: step.name, ...(step.title !== undefined && { description: step.title }) },
    ...defaults,
    ...own,
  };
  const result = experimentSchema.safeParse(merged, { reportInput: true });
  if (!result.success) {
    const documentPath = (at: readonly (string | number)[]): (string | number)[] => {
      const [key, ...rest] = at;
      if (typeof key === 'string' && key in own) return ['steps', index, key, ...rest];
      if (typeof key === 'string' && key in defaults) return ['defaults', key, ...rest];
      return ['steps', index];
    };
    source.issues.push(
      ...locate(result.error.issues, source, { documentPath }).map((issue) =>
        // A field neither the step nor `defaults` gives: say where it may go.
        issue.path === `steps[${index}]` && issue.message.startsWith('missing required field') ? { ...issue, suggestion: 'give it in the step, or in the game day\'s `defaults` for every inline step' } : issue,
      ),
    );
    return undefined;
  }
  return { ...base, kind: 'experiment', file: source.file, inline: true, experiment: result.data, target: step.target ?? gameDay.target ?? 'docker' };
}

function pick(fields: Partial<Record<(typeof INLINE_EXPERIMENT_KEYS)[number], unknown>>): Record<string, unknown> {
  return Object.fromEntries(INLINE_EXPERIMENT_KEYS.filter((key) => fields[key] !== undefined).map((key) => [key, fields[key]]));
}

function locate(issues: Parameters<typeof locateIssues>[0], source: Source, frame: Parameters<typeof locateIssues>[4]): ValidationIssue[] {
  return locateIssues(issues, source.document, source.lineCounter, source.file, frame);
}

/** A bad `defaults` field is found once per inline step that uses it: said once. */
function dedupe(issues: readonly ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.file}:${issue.line}:${issue.column}:${issue.path}:${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Whether a file is a game day (kind: GameDay); any other file, or one that does not parse, is not. */
export async function isGameDayFile(file: string): Promise<boolean> {
  try {
    return parseYamlMapping(await readInputFile(file), file, GAME_DAY_MAPPING).value.kind === 'GameDay';
  } catch {
    return false; // its own loader reports what is wrong with it
  }
}

/**
 * Experiment files as given, and for a game-day file the experiments of its steps (each with the
 * file it is defined in: its own, or the game day's for an inline step, limited to the step's
 * target): what `rebound teardown` removes after a game day killed with -9.
 */
export async function loadExperimentsOrGameDays(paths: readonly string[]): Promise<{ file: string; experiment: Experiment }[]> {
  const loaded: { file: string; experiment: Experiment }[] = [];
  for (const file of paths.flatMap(experimentFiles)) {
    if (!(await isGameDayFile(file))) {
      loaded.push(await loadExperiment(file));
      continue;
    }
    for (const step of (await loadGameDay(file)).steps) {
      if (step.kind === 'experiment') loaded.push({ file: step.file, experiment: { ...step.experiment, targets: step.experiment.targets ?? [step.target] } });
    }
  }
  return loaded;
}
