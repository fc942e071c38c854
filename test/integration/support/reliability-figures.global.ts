import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { engineLeftoverList, findStateDirectories, formatReliabilityFigures, readAllJournals, reliabilityFigures } from '../../../src/safety/reliability-figures.js';
import { helperLeftovers } from '../../../src/targets/helper-leftovers.js';
import { networkLeftovers } from '../../../src/targets/network-leftovers.js';

// Global setup of the integration project: after the suite, count every fault the suite's rebound
// runs journalled and whether it was rolled back. The runs keep journals in the default .rebound/
// (CLI runs from the repository root) or in scratch state dirs under the OS tmpdir
// (scratchDirectory(): rebound-test-*). Only journals of runs started after this setup count, and
// runs still alive (someone else's, in the same directories) are left out. Anything left over fails
// the suite: the kill -9 tests run `rebound recover`, which journals its undo, so they leave nothing.
// The helpers those faults started (their undo records name them) are looked for on the engines too:
// helper containers, kind node units and the stress processes in their cgroups, 0 of each.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function suiteStateDirectories(): string[] {
  const scratch = readdirSync(tmpdir()).filter((name) => name.startsWith('rebound-test-'));
  return [join(ROOT, '.rebound'), ...scratch.flatMap((name) => findStateDirectories(join(tmpdir(), name), 3))];
}

export default function setup(): () => Promise<void> {
  const since = Date.now();
  return async () => {
    const figures = reliabilityFigures(readAllJournals(suiteStateDirectories()), { since });
    // The helpers the runs journalled (stress in a helper container or a kind node unit): none may be left on the engines.
    const engine = await helperLeftovers(figures.helpers);
    console.log(`\nreliability of this run: ${formatReliabilityFigures(figures, engine)}`);
    // The network faults' namespaces, helper containers and node units, looked into on the engines.
    const network = figures.networkPlaces.length > 0 ? await networkLeftovers(figures.networkPlaces) : { namespaces: 0, leftovers: [] };
    console.log(`network faults: ${figures.networkPlaces.length} helpers, ${network.namespaces} namespaces still there looked into / left over ${network.leftovers.length}`);
    for (const item of network.leftovers) console.log(`  left over: ${item}`);
    if (figures.leftOver.length > 0) {
      throw new Error(`${figures.leftOver.length} fault(s) left over after the integration tests (listed above): run \`npx rebound recover --state-dir <dir>\` for each journal's state dir`);
    }
    const left = engineLeftoverList(engine);
    if (left.length > 0) throw new Error(`${left.length} helper container(s), node unit(s) or stress process(es) left over after the integration tests (listed above)`);
    if (network.leftovers.length > 0) throw new Error(`${network.leftovers.length} network rule(s), qdisc(s) or helper(s) left over after the integration tests (listed above): run \`npx rebound recover\``);
  };
}
