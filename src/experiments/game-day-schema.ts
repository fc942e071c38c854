import { z } from 'zod';
import { experimentSchema } from './schema.js';

// The game-day file (kind: GameDay): a title, the team, and an ordered list of steps, each an
// experiment (a file, or inline faults and assertions on the game day's `defaults`) or a manual
// check, each with its hypothesis in words. Inline experiment fields are checked where they are
// merged (load-game-day.ts), by the experiment schema itself, so an inline step accepts exactly
// what an experiment file does and its errors read the same.

const nameSchema = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'lowercase letters, digits and dashes, at most 63');
const targetSchema = z.enum(['docker', 'kubernetes']);

/** Experiment fields an inline step (or `defaults`) may give; apiVersion, kind and metadata come from the step. */
export const INLINE_EXPERIMENT_KEYS = [
  'system',
  'kubernetes',
  'probe',
  'load',
  'duration',
  'settle',
  'until',
  'faults',
  'assertions',
  'guards',
  'iterations',
  'safety',
  'deploy',
  'setup',
  'teardown',
] as const satisfies readonly (keyof typeof experimentSchema.shape)[];

export type InlineExperimentKey = (typeof INLINE_EXPERIMENT_KEYS)[number];

const inlineField = (key: InlineExperimentKey) => z.unknown().optional().describe(experimentSchema.shape[key].description ?? `as in an experiment (${key})`);
const inlineFields = (keys: readonly InlineExperimentKey[]) => Object.fromEntries(keys.map((key) => [key, inlineField(key)])) as Record<InlineExperimentKey, z.ZodOptional<z.ZodUnknown>>;

const stepSchema = z
  .strictObject({
    name: nameSchema.describe('Step name, unique in the game day: used in reports, and as the experiment name of an inline step (its deploy is named after it).'),
    title: z.string().min(1).max(200).optional().describe('A short title for the step, shown to the team.'),
    hypothesis: z.string().min(1).max(2000).describe('What the team expects, in words; asked after the step (held / not held / unsure).'),
    target: targetSchema.optional().describe('Where an experiment step runs (default: the game day\'s target, else the experiment\'s, else docker).'),
    experiment: z.string().min(1).optional().describe('An experiment file, relative to the game-day file.'),
    check: z.string().min(1).max(2000).optional().describe('A manual check: what the team looks at or does ("the on-call was paged").'),
    ...inlineFields(INLINE_EXPERIMENT_KEYS),
  })
  .superRefine((step, context) => {
    const kinds = (['experiment', 'check', 'faults'] as const).filter((key) => step[key] !== undefined);
    if (kinds.length !== 1) {
      context.addIssue({
        code: 'custom',
        message:
          kinds.length === 0
            ? 'a step needs one of `experiment` (a file), `faults` (an inline experiment) or `check` (a manual check)'
            : `a step is one thing, found ${kinds.map((key) => `\`${key}\``).join(' and ')}: split it into two steps`,
      });
      return;
    }
    const inline = INLINE_EXPERIMENT_KEYS.filter((key) => step[key] !== undefined);
    if (kinds[0] === 'check') {
      for (const key of inline) {
        context.addIssue({ code: 'custom', path: [key], message: `a manual check runs nothing, so \`${key}\` has nothing to act on: make it an experiment step, or drop \`${key}\`` });
      }
    }
    if (kinds[0] === 'experiment') {
      // Extra assertions are expected signals of this step's hypothesis; anything else changes the
      // experiment itself, which belongs in its file (or inline, copied here).
      for (const key of inline.filter((key) => key !== 'assertions')) {
        context.addIssue({ code: 'custom', path: [key], message: `a step with \`experiment: <file>\` takes \`${key}\` from that file: change it there, or make the step inline (faults: …)` });
      }
    }
  });

export const gameDaySchema = z
  .strictObject({
    apiVersion: z.literal('rebound/v1'),
    kind: z.literal('GameDay'),
    metadata: z.strictObject({
      name: nameSchema.describe('Game day name, used in reports.'),
      description: z.string().max(4000).optional(),
    }),
    title: z.string().min(1).max(200).describe('The game day\'s title, e.g. "Checkout: pre-release game day".'),
    team: z
      .array(z.strictObject({ name: z.string().min(1).max(100), role: z.string().min(1).max(200).describe('Free text: facilitator, on-call, observer, …') }))
      .max(50)
      .default([])
      .describe('Who takes part, with their roles (listed in the post-mortem).'),
    target: targetSchema.optional().describe('Default target of the experiment steps.'),
    defaults: z
      .strictObject(inlineFields(INLINE_EXPERIMENT_KEYS.filter((key) => key !== 'faults')))
      .default({})
      .describe('Experiment fields every inline step starts from (system, deploy, probe, …); a step\'s own field replaces the default one.'),
    steps: z.array(stepSchema).min(1).max(50),
  })
  .superRefine((gameDay, context) => {
    const seen = new Map<string, number>();
    gameDay.steps.forEach((step, index) => {
      const first = seen.get(step.name);
      if (first !== undefined) context.addIssue({ code: 'custom', path: ['steps', index, 'name'], message: `step name \`${step.name}\` is already used by step ${first + 1}: names must be unique` });
      else seen.set(step.name, index);
    });
  });

export type GameDayFile = z.output<typeof gameDaySchema>;
export type GameDayStepFile = GameDayFile['steps'][number];
