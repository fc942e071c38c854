import { z } from 'zod';
import { faultCatalog } from './catalog.js';
import type { FaultModule, TargetSupport } from './fault-module.js';
import { selectionShape } from './selection.js';

// The README's fault table, made from the catalog (`rebound list --markdown` prints it; a unit test
// checks that the README holds exactly this), so the docs cannot drift from the code.

const SELECTION_KEYS = Object.keys(selectionShape);

/** "selection, `gracePeriod` (`0s`)": the parameters of a fault, defaults in brackets. */
export function parametersInWords(module: FaultModule): string {
  const schema = z.toJSONSchema(module.params, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, { default?: unknown; type?: unknown }> };
  const keys = Object.keys(schema.properties ?? {});
  const own = keys.filter((key) => !SELECTION_KEYS.includes(key)).map((key) => {
    const property = schema.properties![key]!;
    if (property.default === undefined) return `\`${key}\``;
    // Durations take a number of seconds: show the default with its unit.
    const isDuration = Array.isArray(property.type) && property.type.includes('string') && typeof property.default === 'number';
    return `\`${key}\` (\`${isDuration ? `${String(property.default)}s` : String(property.default)}\`)`;
  });
  return [...(keys.includes('count') ? ['selection'] : []), ...own].join(', ') || '—';
}

function cell(support: TargetSupport): string {
  return 'unsupported' in support ? `not supported: ${support.unsupported}` : `${support.does}; **undo:** ${support.rollback}`;
}

export function faultTableMarkdown(): string {
  const escape = (text: string) => text.replace(/\|/g, '\\|');
  const rows = Object.values(faultCatalog).map((module: FaultModule) =>
    `| \`${module.name}\` | ${escape(parametersInWords(module))} | ${escape(cell(module.docker))} | ${escape(cell(module.kubernetes))} |`,
  );
  return ['| fault | parameters | Docker | Kubernetes |', '|---|---|---|---|', ...rows].join('\n');
}
