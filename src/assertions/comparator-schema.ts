import { z } from 'zod';
import { type Comparator, type Operator, type Unit, parseComparator } from './comparator.js';

/** A zod field that parses ">= 99%", "<= 2s", "3" into a Comparator. */
export function comparatorSchema(unit: Unit, defaultOperator: Operator) {
  return z.union([z.string(), z.number()]).transform((value, context): Comparator => {
    const parsed = parseComparator(value, unit, defaultOperator);
    if (typeof parsed === 'string') {
      context.addIssue({ code: 'custom', message: `expected ${parsed}, got ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    return parsed;
  });
}
