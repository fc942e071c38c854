import { z } from 'zod';
import { parseDuration } from './duration.js';

// Schema pieces every part of the experiment file shares: durations and request rates.

export const durationSchema = z
  .union([z.string(), z.number()])
  .transform((value, context) => {
    const ms = parseDuration(value);
    if (ms === undefined) {
      context.addIssue({ code: 'custom', message: `expected a duration such as "5s" or "250ms", got ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    return ms;
  })
  .describe('A duration: "250ms", "5s", "1.5m", or a number of seconds.');

export const rateSchema = z
  .union([z.string(), z.number()])
  .transform((value, context) => {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*s)?\s*$/.exec(String(value));
    const rate = match ? Number(match[1]) : Number.NaN;
    if (!Number.isFinite(rate) || rate <= 0 || rate > 100_000) {
      context.addIssue({ code: 'custom', message: `expected a request rate such as "200/s" (1 to 100000), got ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    return rate;
  })
  .describe('Requests per second: "200/s" or a number.');
