#!/usr/bin/env node
// Reliability figures from rebound's journals: faults injected / rolled back / left over, and the
// helpers those faults started still on the engines (helper containers, kind units, stress processes).
//   node scripts/reliability-figures.mjs [--since <ISO time>] [state-dir...]
// Without state dirs: ./.rebound and every scratch state dir of the integration tests under the OS
// tmpdir (rebound-test-*). Exit 1 when anything is left over (then run `rebound recover`).
// Needs `npm run build` (reads dist/). The integration project prints the same after every run.
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { engineLeftoverList, findStateDirectories, formatReliabilityFigures, readAllJournals, reliabilityFigures } from '../dist/safety/reliability-figures.js';
import { helperLeftovers } from '../dist/targets/helper-leftovers.js';
import { networkLeftovers } from '../dist/targets/network-leftovers.js';

const { values, positionals } = parseArgs({ options: { since: { type: 'string' } }, allowPositionals: true });
const since = values.since === undefined ? undefined : Date.parse(values.since);
if (since !== undefined && Number.isNaN(since)) {
  process.stderr.write(`reliability-figures: --since expects a time such as 2026-12-01T06:30:00Z, got ${JSON.stringify(values.since)}\n`);
  process.exit(2);
}
const scratch = readdirSync(tmpdir()).filter((name) => name.startsWith('rebound-test-'));
const roots = positionals.length > 0 ? positionals : ['.rebound', ...scratch.flatMap((name) => findStateDirectories(join(tmpdir(), name), 3))];
const figures = reliabilityFigures(readAllJournals(roots), since === undefined ? {} : { since });
// The journalled helpers on the engines (helper containers, kind node units, stress processes): an engine that does not answer is said, not fatal.
const engine = await helperLeftovers(figures.helpers).catch((error) => {
  process.stderr.write(`reliability-figures: could not look at the engines for helpers left over: ${error.message}\n`);
  return undefined;
});
process.stdout.write(`${formatReliabilityFigures(figures, engine)}\n`);
// Network faults: what is left in the namespaces they touched, and of their helpers, on the engines.
const network = figures.networkPlaces.length > 0 ? await networkLeftovers(figures.networkPlaces) : { namespaces: 0, leftovers: [] };
process.stdout.write(`network faults: ${figures.networkPlaces.length} helpers, ${network.namespaces} namespaces still there looked into / left over ${network.leftovers.length}\n`);
for (const item of network.leftovers) process.stdout.write(`  left over: ${item}\n`);
process.exit(figures.leftOver.length > 0 || network.leftovers.length > 0 || (engine && engineLeftoverList(engine).length > 0) ? 1 : 0);
