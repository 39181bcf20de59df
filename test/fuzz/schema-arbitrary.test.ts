import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/harness.js';
import { invalidArbitrary } from './mutations.js';
import { operationsOf, resolvePointer } from './openapi-model.js';
import { ResponseChecker } from './response-checks.js';
import { validArbitrary, type JsonSchema, type SchemaContext } from './schema-arbitrary.js';

// The fuzzer's claims about its own inputs: what it calls valid, the document's schema accepts (so a
// refusal of it is the server's doing), and what a mutation makes of a plain field, the schema refuses.

const components: Record<string, JsonSchema> = {
  Name: { type: 'string', minLength: 1, maxLength: 5, pattern: '^\\s*[^\\s\\u0000][^\\u0000]*$' },
};
const ctx: SchemaContext = { resolve: (ref) => resolvePointer({ components: { schemas: components } }, ref) };
const checker = new ResponseChecker({ openapi: '3.1.0', paths: {}, components: { schemas: { ...components, Error: { type: 'object' } } } });

const schemas: Record<string, JsonSchema> = {
  bounded: {
    type: 'object',
    required: ['name'],
    additionalProperties: false,
    minProperties: 1,
    properties: {
      name: { $ref: '#/components/schemas/Name' },
      count: { type: 'integer', minimum: 1, maximum: 3 },
      ratio: { type: 'number', minimum: -1, maximum: 1 },
      when: { type: 'string', format: 'date-time' },
      email: { type: 'string', format: 'email', maxLength: 40 },
      kind: {
        anyOf: [
          { type: 'string', enum: ['a'] },
          { type: 'string', enum: ['b'] },
        ],
      },
      tags: { type: 'array', minItems: 1, maxItems: 3, items: { type: 'string', minLength: 1, maxLength: 4 } },
      due: { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] },
      key: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,39}$' },
    },
  },
  changes: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: { a: { type: 'boolean' }, b: { type: 'string', maxLength: 2 } },
  },
};

describe('schema arbitraries', () => {
  for (const [name, schema] of Object.entries(schemas)) {
    const validate = checker.validator(schema);
    test.prop([validArbitrary(schema, ctx)], { numRuns: 300 })(`generates only values the ${name} schema accepts`, (value) => {
      expect(validate(value), JSON.stringify(value)).toBe(true);
    });
  }

  for (const field of [
    { type: 'string', minLength: 2, maxLength: 4 },
    { type: 'integer', minimum: 0, maximum: 10 },
    { type: 'string', format: 'date-time' },
    { type: 'array', minItems: 1, maxItems: 2, items: { type: 'integer' } },
    schemas.bounded!,
    schemas.changes!,
  ] as JsonSchema[]) {
    const validate = checker.validator(field);
    test.prop([invalidArbitrary(field, ctx)], { numRuns: 200 })(
      `mutates ${JSON.stringify(field).slice(0, 80)} into values it refuses`,
      (value) => {
        expect(validate(value), JSON.stringify(value)).toBe(false);
      },
    );
  }
});

describe('schema arbitraries over the live document', () => {
  let app: TestApp;
  let document: Record<string, any>;
  beforeAll(async () => {
    app = await startTestApp('sqlite');
    document = (await app.request('GET', '/api/v1/openapi.json')).body;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('generates valid bodies for every operation that takes one (no fixture hints)', () => {
    const live: SchemaContext = { resolve: (ref) => resolvePointer(document, ref) };
    const liveChecker = new ResponseChecker(document);
    const operations = operationsOf(document).filter((op) => op.body);
    expect(operations.length).toBeGreaterThan(20);
    for (const op of operations) {
      for (const body of fc.sample(validArbitrary(op.body!.schema, live), { numRuns: 50, seed: 1 })) {
        expect(liveChecker.acceptsBody(op, body), `${op.id}: ${JSON.stringify(body).slice(0, 300)}`).toBe(true);
      }
    }
  });
});
