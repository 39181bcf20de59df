import fc from 'fast-check';

/** A JSON Schema node as the OpenAPI document holds it (a plain object). */
export type JsonSchema = Record<string, any>;

export interface SchemaContext {
  /** Resolves a `$ref` (`#/components/schemas/Task`) against the document. */
  resolve(ref: string): JsonSchema;
  /**
   * Realistic values for a named field (fixture ids, status keys, permission names…): without them
   * nearly every generated request would stop at a 404 and the paths past it would go untested.
   */
  hint?(name: string, schema: JsonSchema): fc.Arbitrary<unknown> | undefined;
}

/** Long strings are generated up to this length unless the schema's maximum is the point (boundaries). */
const TYPICAL_LENGTH = 24;
const DEFAULT_INT_BOUND = 2 ** 31;

export function deref(schema: JsonSchema, ctx: SchemaContext): JsonSchema {
  let node = schema;
  for (let hops = 0; typeof node.$ref === 'string'; hops++) {
    if (hops > 20) throw new Error(`$ref cycle at ${node.$ref}`);
    node = ctx.resolve(node.$ref);
  }
  return node;
}

/** The JSON types a schema allows (`anyOf` branches merged). */
export function typesOf(schema: JsonSchema, ctx: SchemaContext): Set<string> {
  const node = deref(schema, ctx);
  const variants = (node.anyOf ?? node.oneOf) as JsonSchema[] | undefined;
  if (variants) return new Set(variants.flatMap((v) => [...typesOf(v, ctx)]));
  if (Array.isArray(node.enum)) return new Set(node.enum.map((v: unknown) => (v === null ? 'null' : typeof v)));
  if (node.const !== undefined) return new Set([node.const === null ? 'null' : typeof node.const]);
  const type = node.type ?? (node.properties ? 'object' : undefined);
  if (type === undefined) return new Set(['string', 'number', 'integer', 'boolean', 'null', 'array', 'object']);
  return new Set([type].flat() as string[]);
}

function boundedLength(min: number, max: number | undefined): fc.Arbitrary<number> {
  const typicalMax = Math.max(min, Math.min(max ?? min + TYPICAL_LENGTH, min + TYPICAL_LENGTH));
  const lengths: Array<fc.WeightedArbitrary<number>> = [
    { weight: 8, arbitrary: fc.integer({ min, max: typicalMax }) },
    { weight: 1, arbitrary: fc.constant(min) },
  ];
  if (max !== undefined) lengths.push({ weight: 1, arbitrary: fc.constant(max) });
  return fc.oneof(...lengths);
}

/** Characters of every kind a valid free-text field may hold: ASCII, accents, CJK, emoji, RTL. */
const TEXT_UNIT = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme-composite', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom('é', '漢', '🙂', '\u05D0', ' ', '\t', "'", '"', '\\', '%') },
);

function lengthIn(value: string, min: number, max: number | undefined): boolean {
  return value.length >= min && (max === undefined || value.length <= max);
}

function stringArbitrary(node: JsonSchema): fc.Arbitrary<string> {
  const min: number = node.minLength ?? 0;
  const max: number | undefined = node.maxLength;
  switch (node.format) {
    case 'date-time':
      return fc
        .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true })
        .map((d) => d.toISOString());
    case 'email':
      return fc.emailAddress().filter((e) => lengthIn(e, min, max));
    case 'uuid':
      return fc.uuid();
    case 'uri':
      return fc.webUrl().filter((u) => lengthIn(u, min, max));
    default:
      break;
  }
  if (typeof node.pattern === 'string') {
    const pattern = new RegExp(node.pattern);
    const matching = fc.stringMatching(pattern, { maxLength: Math.min(max ?? 200, 200) }).filter((s) => lengthIn(s, min, max));
    // The longest value: a matching one repeated up to the maximum, when that still matches (never a filter
    // that almost nothing passes: fast-check would loop).
    if (max !== undefined && max <= 20_000) {
      const atMax = matching.map((s) => {
        const long = s.length > 0 ? s.repeat(Math.ceil(max / s.length)).slice(0, max) : s;
        return pattern.test(long) ? long : s;
      });
      return fc.oneof({ weight: 9, arbitrary: matching }, { weight: 1, arbitrary: atMax });
    }
    return matching;
  }
  return boundedLength(min, max)
    .chain((length) => fc.string({ unit: TEXT_UNIT, minLength: length, maxLength: length }).map((s) => s.slice(0, max ?? s.length)))
    .filter((s) => lengthIn(s, min, max));
}

function numberArbitrary(node: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min: number =
    node.minimum ?? (node.exclusiveMinimum !== undefined ? node.exclusiveMinimum + (integer ? 1 : 1e-6) : -DEFAULT_INT_BOUND);
  const max: number =
    node.maximum ?? (node.exclusiveMaximum !== undefined ? node.exclusiveMaximum - (integer ? 1 : 1e-6) : DEFAULT_INT_BOUND);
  const inner = integer
    ? fc.integer({ min: Math.max(min, Number.MIN_SAFE_INTEGER), max: Math.min(max, Number.MAX_SAFE_INTEGER) })
    : fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n));
  return fc.oneof({ weight: 8, arbitrary: inner }, { weight: 1, arbitrary: fc.constant(min) }, { weight: 1, arbitrary: fc.constant(max) });
}

function objectArbitrary(node: JsonSchema, ctx: SchemaContext): fc.Arbitrary<Record<string, unknown>> {
  const properties = (node.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set<string>(node.required ?? []);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(properties)) model[name] = validArbitrary(property, ctx, name);
  const record = fc.record(model, { requiredKeys: [...required].filter((k) => k in model) }) as fc.Arbitrary<Record<string, unknown>>;
  const minProperties: number = node.minProperties ?? 0;
  if (minProperties === 0) return record;
  const names = Object.keys(model);
  // Adds the first optional fields back until the minimum holds, instead of filtering most values away.
  return fc
    .tuple(
      record,
      fc.shuffledSubarray(names, { minLength: Math.min(minProperties, names.length) }),
      fc.tuple(...names.map((n) => model[n]!)),
    )
    .map(([value, extra, all]) => {
      const out = { ...value };
      for (const name of extra) if (Object.keys(out).length < minProperties && !(name in out)) out[name] = all[names.indexOf(name)];
      return out;
    });
}

const memos = new WeakMap<SchemaContext, WeakMap<JsonSchema, Map<string, fc.Arbitrary<unknown>>>>();

/**
 * Builds an arbitrary once per schema node (and field name, and `kind`) for a context: building them
 * costs far more than drawing a value, and mutations build theirs while generating.
 */
export function memoised(ctx: SchemaContext, schema: JsonSchema, key: string, build: () => fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  let bySchema = memos.get(ctx);
  if (!bySchema) memos.set(ctx, (bySchema = new WeakMap()));
  let byKey = bySchema.get(schema);
  if (!byKey) bySchema.set(schema, (byKey = new Map()));
  let arbitrary = byKey.get(key);
  if (!arbitrary) byKey.set(key, (arbitrary = build()));
  return arbitrary;
}

/** Values the schema accepts, boundaries included (shortest, longest, smallest, largest). */
export function validArbitrary(schema: JsonSchema, ctx: SchemaContext, name?: string): fc.Arbitrary<unknown> {
  return memoised(ctx, schema, `valid:${name ?? ''}`, () => buildValidArbitrary(schema, ctx, name));
}

function buildValidArbitrary(schema: JsonSchema, ctx: SchemaContext, name?: string): fc.Arbitrary<unknown> {
  const node = deref(schema, ctx);
  const plain = plainValidArbitrary(node, ctx);
  const hinted = name !== undefined ? ctx.hint?.(name, node) : undefined;
  return hinted ? fc.oneof({ weight: 5, arbitrary: hinted }, { weight: 1, arbitrary: plain }) : plain;
}

function plainValidArbitrary(node: JsonSchema, ctx: SchemaContext): fc.Arbitrary<unknown> {
  const variants = (node.anyOf ?? node.oneOf) as JsonSchema[] | undefined;
  if (variants) return fc.oneof(...variants.map((v) => validArbitrary(v, ctx)));
  if (Array.isArray(node.enum)) return fc.constantFrom(...node.enum);
  if (node.const !== undefined) return fc.constant(node.const);
  const type = node.type ?? (node.properties ? 'object' : undefined);
  if (Array.isArray(type)) return fc.oneof(...type.map((t: string) => plainValidArbitrary({ ...node, type: t }, ctx)));
  switch (type) {
    case 'string':
      return stringArbitrary(node);
    case 'integer':
      return numberArbitrary(node, true);
    case 'number':
      return numberArbitrary(node, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const min: number = node.minItems ?? 0;
      const items = node.items ? validArbitrary(node.items, ctx) : fc.jsonValue();
      return boundedLength(min, node.maxItems).chain((length) => fc.array(items, { minLength: length, maxLength: length }));
    }
    case 'object':
      return objectArbitrary(node, ctx);
    default:
      return fc.jsonValue();
  }
}
