import { z } from 'zod';
import { ValidationError } from '../common/errors.js';
import { durationSchema } from '../common/schema-primitives.js';
import type { GameDay } from './load-game-day.js';
import { readInputFile } from './load-experiment.js';
import { locateIssues } from './locate-issues.js';
import { parseYamlMapping } from './parse-yaml-mapping.js';
import { closestName } from './suggest.js';

// A notes file (`rebound gameday --notes <file>`): what the team would type during a rehearsal of
// the game day in CI, with no one at the keyboard — notes stamped at given times, and the team's
// answers to the steps' hypotheses.

export const notesFileSchema = z.strictObject({
  notes: z
    .array(
      z.strictObject({
        at: durationSchema.describe('When: from the game day\'s start, or with `step` from that step\'s start (its run\'s t = 0, where its faults\' `at` count from).'),
        step: z.string().min(1).optional().describe('The step `at` counts from (its name).'),
        text: z.string().min(1).max(2000).describe('The note; a leading `!` makes it an action item.'),
      }),
    )
    .max(1000)
    .default([]),
  answers: z
    .record(z.string().min(1), z.strictObject({ verdict: z.enum(['held', 'not-held', 'unsure']), note: z.string().max(2000).optional() }))
    .default({})
    .describe('Per step name: the team\'s answer to its hypothesis.'),
});

export type NotesFile = z.output<typeof notesFileSchema>;

/** Reads a notes file and checks that every step it names is a step of the game day. */
export async function loadNotesFile(file: string, gameDay: GameDay): Promise<NotesFile> {
  return parseNotesFile(await readInputFile(file), file, gameDay);
}

export function parseNotesFile(text: string, file: string, gameDay: GameDay): NotesFile {
  const { value, document, lineCounter } = parseYamlMapping(text, file, {
    what: 'a notes file',
    expected: 'a mapping with notes: [{ at, step?, text }] and answers: { <step>: { verdict, note? } }',
    suggestion: 'see "Game days" in the README for the notes file',
  });
  const parsed = notesFileSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) throw new ValidationError(locateIssues(parsed.error.issues, document, lineCounter, file, { schema: notesFileSchema }));
  const names = gameDay.steps.map((step) => step.name);
  const unknown = (name: string) => `no step \`${name}\` in ${gameDay.file}${closestName(name, names) ? ` — did you mean \`${closestName(name, names)}\`?` : ` (its steps: ${names.join(', ')})`}`;
  const issues = [
    ...parsed.data.notes.flatMap((note, index) => (note.step === undefined || names.includes(note.step) ? [] : [{ code: 'custom' as const, path: ['notes', index, 'step'], message: unknown(note.step), input: note.step }])),
    ...Object.keys(parsed.data.answers).filter((name) => !names.includes(name)).map((name) => ({ code: 'custom' as const, path: ['answers', name], message: unknown(name), input: name })),
  ];
  if (issues.length > 0) throw new ValidationError(locateIssues(issues, document, lineCounter, file, { schema: notesFileSchema }));
  return parsed.data;
}
