import { isDeepStrictEqual } from 'node:util';
import { COMPONENT_NAME } from '../http/schemas.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Moves every schema named with `Named(...)` into `components.schemas` and refers to it by `$ref`,
 * innermost first, so a component that contains another refers to it too. The same name on two
 * different shapes is a programming error: the document would lie about one of them.
 */
export function hoistNamedSchemas(document: Json, schemas: Json): void {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (!isObject(node)) return node;
    const copy: Json = {};
    for (const [key, value] of Object.entries(node)) copy[key] = visit(value);
    const name = copy[COMPONENT_NAME];
    if (typeof name !== 'string') return copy;
    delete copy[COMPONENT_NAME];
    const existing = schemas[name];
    if (existing !== undefined && !isDeepStrictEqual(existing, copy)) {
      throw new Error(`Two different schemas are named ${name}: give one of them another name`);
    }
    schemas[name] = copy;
    return { $ref: `#/components/schemas/${name}` };
  };
  for (const key of Object.keys(document)) document[key] = visit(document[key]);
}
