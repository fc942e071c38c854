import { z } from 'zod';
import { ExitCode } from '../../common/exit-codes.js';
import { gameDaySchema } from '../../experiments/game-day-schema.js';
import { experimentSchema } from '../../experiments/schema.js';

/** `rebound schema`: the experiment format as JSON Schema, for editors (yaml-language-server); `--game-day`: the game-day file's. */
export async function schemaCommand(argv: { gameDay?: boolean } = {}): Promise<number> {
  const [schema, title, id] = argv.gameDay
    ? // Inline experiment fields of a step are described here and checked by the experiment schema when the file is loaded.
      [z.toJSONSchema(gameDaySchema, { io: 'input', unrepresentable: 'any' }), 'rebound game day', 'https://rebound.dev/schema/game-day-v1.json']
    : [z.toJSONSchema(experimentSchema, { io: 'input', unrepresentable: 'any' }), 'rebound experiment', 'https://rebound.dev/schema/experiment-v1.json'];
  process.stdout.write(`${JSON.stringify({ ...schema, title, $id: id }, null, 2)}\n`);
  return ExitCode.passed;
}
