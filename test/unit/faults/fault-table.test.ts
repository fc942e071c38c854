import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { faultTableMarkdown } from '../../../src/faults/fault-table.js';

describe("the README's fault table", () => {
  it('is the one generated from the catalog (regenerate it with `rebound list --markdown`)', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const between = /<!-- fault-table:start[^>]*-->\n([\s\S]*?)\n<!-- fault-table:end -->/.exec(readme);
    expect(between, 'README.md has the fault-table markers').not.toBeNull();
    expect(between![1]).toBe(faultTableMarkdown());
  });
});
