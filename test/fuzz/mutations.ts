import fc from 'fast-check';
import { deref, memoised, typesOf, validArbitrary, type JsonSchema, type SchemaContext } from './schema-arbitrary.js';

/** Strings that have broken parsers, databases and log lines before. */
const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uFEFFbom',
  '\u202Eevil',
  '\uD800',
  'x\uDFFFy',
  '\u200B',
  '🙂'.repeat(3),
  'e\u0301',
  '\r\n',
  'null',
  '[]',
  '{}',
  '-1',
  '1e309',
  '0x10',
  "'; drop table tasks; --",
  '%00',
  '%2e%2e%2f',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4shell-style payload, sent as literal text on purpose.
  '${jndi:ldap://x}',
  '\\',
  '"',
  `tgp_${'A'.repeat(40)}`,
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 40 }) },
);

/**
 * Values at the edge rather than past it: odd text and huge numbers. The schema may accept them (a
 * number without a maximum, a name without a pattern); the server must still answer them sensibly.
 */
export const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.constantFrom(2 ** 53 + 1, 2 ** 64, -(2 ** 64), 1e300, -1e300, 5e-324, 1e-300) },
);

/** A value of some JSON type other than `exclude`'s. */
function valueOfAnotherType(exclude: Set<string>): fc.Arbitrary<unknown> {
  const all: Array<[string, fc.Arbitrary<unknown>]> = [
    ['string', hostileString],
    ['integer', fc.constantFrom(0, -1, 2 ** 53, -(2 ** 31) - 1)],
    ['number', fc.constantFrom(0.5, -2.5, 1e-300)], // never integral: they must differ from an integer too
    ['boolean', fc.boolean()],
    ['null', fc.constant(null)],
    ['array', fc.constantFrom([], [1], [null], [[]])],
    ['object', fc.constantFrom({}, { a: 1 }, { __proto__: null, constructor: 1 })],
  ];
  const numeric = exclude.has('number');
  const others = all.filter(([type]) => !exclude.has(type) && !(numeric && type === 'integer'));
  return fc.oneof(...others.map(([, arb]) => arb));
}

/** Violations of one string schema: lengths one past each bound, a broken pattern or format, huge and odd text. */
function invalidString(node: JsonSchema): fc.Arbitrary<unknown>[] {
  const out: fc.Arbitrary<unknown>[] = [];
  if (typeof node.maxLength === 'number') {
    out.push(fc.constant('x'.repeat(node.maxLength + 1)));
    out.push(fc.constant('é'.repeat(node.maxLength + 1)));
  }
  if (typeof node.minLength === 'number' && node.minLength > 0) out.push(fc.constant('x'.repeat(node.minLength - 1)));
  if (node.format === 'date-time')
    out.push(fc.constantFrom('2024-13-01T00:00:00Z', '2024-02-30T10:00:00Z', 'yesterday', '2024-01-01', '1e9', '2024-01-01T25:00:00Z'));
  if (node.format === 'email') out.push(fc.constantFrom('no-at-sign', '@example.test', 'a@', 'a b@example.test', 'a@b@c'));
  if (node.pattern) {
    const pattern = new RegExp(node.pattern);
    const misfits = ['   ', '\u0000', 'UPPER', 'has space', 'tab\there', '-', '1abc', ...HOSTILE_STRINGS].filter((v) => !pattern.test(v));
    if (misfits.length > 0) out.push(fc.constantFrom(...misfits));
  }
  out.push(fc.constant('z'.repeat(70_000)));
  return out;
}

function invalidNumber(node: JsonSchema, integer: boolean): fc.Arbitrary<unknown>[] {
  const out: fc.Arbitrary<unknown>[] = [fc.constantFrom('1', '', 'NaN', true)];
  if (typeof node.minimum === 'number') out.push(fc.constant(node.minimum - 1));
  if (typeof node.maximum === 'number') out.push(fc.constant(node.maximum + 1));
  if (integer) out.push(fc.constantFrom(1.5, -0.5, 1e-9));
  return out;
}

function invalidArray(node: JsonSchema, ctx: SchemaContext): fc.Arbitrary<unknown>[] {
  const items = node.items ? validArbitrary(node.items, ctx) : fc.jsonValue();
  const out: fc.Arbitrary<unknown>[] = [];
  if (typeof node.minItems === 'number' && node.minItems > 0)
    out.push(fc.array(items, { minLength: node.minItems - 1, maxLength: node.minItems - 1 }));
  if (typeof node.maxItems === 'number') out.push(fc.array(items, { minLength: node.maxItems + 1, maxLength: node.maxItems + 1 }));
  if (node.items) out.push(fc.tuple(fc.array(items, { maxLength: 3 }), invalidArbitrary(node.items, ctx)).map(([ok, bad]) => [...ok, bad]));
  return out;
}

function invalidObject(node: JsonSchema, ctx: SchemaContext): fc.Arbitrary<unknown>[] {
  const valid = validArbitrary(node, ctx) as fc.Arbitrary<Record<string, unknown>>;
  const properties = Object.keys(node.properties ?? {});
  const required: string[] = node.required ?? [];
  const out: fc.Arbitrary<unknown>[] = [];
  if (required.length > 0) {
    out.push(
      fc.tuple(valid, fc.constantFrom(...required)).map(([value, missing]) => {
        const copy = { ...value };
        delete copy[missing];
        return copy;
      }),
    );
  }
  if (node.additionalProperties === false) {
    out.push(
      fc
        .tuple(
          valid,
          fc.constantFrom('unknownField', '__proto__', 'constructor', 'id', 'createdAt', 'workspaceId', 'isAdmin', ''),
          fc.jsonValue({ maxDepth: 1 }),
        )
        // A computed key makes `__proto__` an own property, so JSON.stringify sends it.
        .map(([value, extra, v]) => ({ ...value, [extra]: v ?? null })),
    );
  }
  if (properties.length > 0) {
    out.push(
      fc
        .constantFrom(...properties)
        .chain((name) =>
          fc
            .tuple(valid, invalidArbitrary((node.properties as Record<string, JsonSchema>)[name]!, ctx))
            .map(([value, bad]) => ({ ...value, [name]: bad })),
        ),
    );
  }
  if (typeof node.minProperties === 'number' && node.minProperties > 0) out.push(fc.constant({}));
  return out;
}

/**
 * Values the schema should refuse: the wrong type, a missing required field, an unknown field, lengths
 * and numbers one past each bound, invalid formats, hostile text. A value meant to be invalid may
 * still match another `anyOf` branch; the caller checks with the validator what it really sent.
 */
export function invalidArbitrary(schema: JsonSchema, ctx: SchemaContext): fc.Arbitrary<unknown> {
  return memoised(ctx, schema, 'invalid', () => buildInvalidArbitrary(schema, ctx));
}

function buildInvalidArbitrary(schema: JsonSchema, ctx: SchemaContext): fc.Arbitrary<unknown> {
  const node = deref(schema, ctx);
  const candidates: fc.Arbitrary<unknown>[] = [valueOfAnotherType(typesOf(node, ctx))];
  const variants = (node.anyOf ?? node.oneOf) as JsonSchema[] | undefined;
  if (variants) {
    for (const variant of variants) candidates.push(...invalidFor(deref(variant, ctx), ctx));
  } else {
    candidates.push(...invalidFor(node, ctx));
  }
  if (Array.isArray(node.enum))
    candidates.push(fc.constantFrom('not-a-member', String(node.enum[0]).toUpperCase(), ` ${String(node.enum[0])}`));
  return fc.oneof(...candidates);
}

function invalidFor(node: JsonSchema, ctx: SchemaContext): fc.Arbitrary<unknown>[] {
  switch (node.type ?? (node.properties ? 'object' : undefined)) {
    case 'string':
      return Array.isArray(node.enum) ? [] : invalidString(node);
    case 'integer':
      return invalidNumber(node, true);
    case 'number':
      return invalidNumber(node, false);
    case 'array':
      return invalidArray(node, ctx);
    case 'object':
      return invalidObject(node, ctx);
    default:
      return [];
  }
}

/** Escapes sent as they are (not encoded again): invalid UTF-8, a truncated escape, an encoded NUL or dot. */
export const RAW_ESCAPES: readonly string[] = ['%FF', '%C0%AE', '%', '%E2%82', '%00', '%2e', '%u0041'];

/** Path parameters of the wrong shape, or of the right shape naming nothing. */
export const invalidPathParam: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: hostileString.filter((s) => s.length > 0) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '0',
      '-1',
      'x'.repeat(65),
      'x'.repeat(5000),
      'tsk_doesnotexist',
      'wsp_0000000000000000',
      'ZZZZZZZZZZZZZZZZZZZZZZZZZZ',
      'me',
      'null',
      'undefined',
    ),
  },
  { weight: 1, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.constantFrom(...RAW_ESCAPES) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_]{1,64}$/) },
);
