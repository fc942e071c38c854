import type { z } from 'zod';

// Walks the experiment schema along a field path to list the keys accepted there, so an unknown
// key anywhere gets a "did you mean" from the schema itself rather than from a hand-kept list.
type AnySchema = z.ZodType & { _zod: { def: Record<string, any> } };

function unwrap(schema: AnySchema): AnySchema[] {
  const def = schema._zod.def;
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'nullable':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return unwrap(def.innerType);
    case 'pipe':
      return unwrap(def.in);
    case 'union':
      return (def.options as AnySchema[]).flatMap(unwrap);
    default:
      return [schema];
  }
}

function child(schema: AnySchema, key: string | number): AnySchema[] {
  return unwrap(schema).flatMap((candidate) => {
    const def = candidate._zod.def;
    if (def.type === 'object' && typeof key === 'string' && def.shape[key]) return [def.shape[key] as AnySchema];
    if (def.type === 'array' && typeof key === 'number') return [def.element as AnySchema];
    if (def.type === 'record') return [def.valueType as AnySchema];
    return [];
  });
}

/** Keys an object accepts at `path` (empty when the path does not lead to an object). */
export function keysAt(root: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: AnySchema[] = [root as AnySchema];
  for (const key of path) {
    if (typeof key === 'symbol') return [];
    current = current.flatMap((schema) => child(schema, key));
  }
  const keys = new Set<string>();
  for (const schema of current.flatMap(unwrap)) {
    const def = schema._zod.def;
    if (def.type === 'object') Object.keys(def.shape).forEach((key) => keys.add(key));
  }
  return [...keys];
}
