import { z } from 'zod';
import { ExitCode } from '../../common/exit-codes.js';
import { experimentSchema } from '../../experiments/schema.js';

/** `rebound schema`: the experiment format as JSON Schema, for editors (yaml-language-server). */
export async function schemaCommand(): Promise<number> {
  const schema = z.toJSONSchema(experimentSchema, { io: 'input', unrepresentable: 'any' });
  process.stdout.write(`${JSON.stringify({ ...schema, title: 'rebound experiment', $id: 'https://rebound.dev/schema/experiment-v1.json' }, null, 2)}\n`);
  return ExitCode.passed;
}
