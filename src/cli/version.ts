import { readFileSync } from 'node:fs';

/** rebound's version, from package.json (read once, at start-up of the CLI). */
export const version: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
