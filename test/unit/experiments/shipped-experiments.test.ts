import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../../src/experiments/load-experiment.js';

// Every experiment the project ships (examples, the seed-claims suite) is valid: a typo there
// would surface only when a user runs the demo.
const ROOT = fileURLToPath(new URL('../../../experiments/', import.meta.url));
const files = ['docker', 'kubernetes', 'compare'].flatMap((folder) =>
  readdirSync(join(ROOT, folder)).filter((name) => name.endsWith('.yaml')).map((name) => join(folder, name)),
);

describe('shipped experiments', () => {
  it('finds the seed-claims suite and the examples', () => {
    // Each claim is numbered once; other claims may be added beside these.
    const numbers = files.filter((file) => file.startsWith('compare/')).map((file) => Number(/^compare\/(\d+)-/.exec(file)?.[1]));
    expect(new Set(numbers).size, 'every claim has its own number').toBe(numbers.length);
    expect(numbers).toEqual(expect.arrayContaining([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]));
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files)('%s validates', async (file) => {
    const { experiment } = await loadExperiment(join(ROOT, file));
    expect(experiment.metadata.name).toMatch(/^[a-z0-9-]+$/);
    if (file.startsWith('compare/')) {
      expect(experiment.claim, 'every seed experiment states its claim').toBeDefined();
      // Its own system: rebound's deploy, or setup commands (the two-tier app: a Compose file, manifests).
      expect(experiment.deploy ?? (experiment.setup.length > 0 ? experiment.setup : undefined), 'every seed experiment deploys its own system').toBeDefined();
    }
  });
});
