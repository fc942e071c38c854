import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The folders of src/ show the pipeline: file → plan → run → timeline → verdicts → reports. Each
// folder may import only folders below it in this list (and itself), and no module may import
// itself through others: a newcomer can read the tree bottom-up.
const LAYERS = [
  'common',
  'stats',
  'timeline',
  'faults',
  'assertions',
  'safety',
  'experiments',
  'probes',
  'targets',
  'plan',
  'run',
  'compare',
  'gameday',
  'reporters',
  'cli',
] as const;

const SRC = resolve(import.meta.dirname, '../../../src');

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Relative imports of one file (type-only ones included: they are dependencies too), as absolute .ts paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s+'(\.{1,2}\/[^']+)'|import\(\s*'(\.{1,2}\/[^']+)'\s*\)/g)].map((match) =>
    resolve(dirname(file), (match[1] ?? match[2])!.replace(/\.js$/, '.ts')),
  );
}

const folderOf = (file: string) => relative(SRC, file).split('/')[0]!.replace(/\.ts$/, '');

describe('source layout', () => {
  const files = sourceFiles(SRC);
  const graph = new Map(files.map((file) => [file, importsOf(file)]));

  it('puts every source file in a known layer', () => {
    const unknown = [...new Set(files.map(folderOf))].filter((folder) => !(LAYERS as readonly string[]).includes(folder));
    expect(unknown).toEqual([]);
  });

  it('imports only downward', () => {
    const upward: string[] = [];
    for (const [file, imports] of graph) {
      const from = LAYERS.indexOf(folderOf(file) as (typeof LAYERS)[number]);
      for (const imported of imports) {
        const to = LAYERS.indexOf(folderOf(imported) as (typeof LAYERS)[number]);
        if (to > from) upward.push(`${relative(SRC, file)} → ${relative(SRC, imported)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('has no import cycles', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push([...stack.slice(stack.indexOf(file)), file].map((path) => relative(SRC, path)).join(' → '));
        return;
      }
      state.set(file, 'visiting');
      stack.push(file);
      for (const imported of graph.get(file) ?? []) visit(imported);
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of files) visit(file);
    expect(cycles).toEqual([]);
  });
});
