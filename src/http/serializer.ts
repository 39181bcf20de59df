import type { FastifySerializerCompiler } from 'fastify';
import fastJson from 'fast-json-stringify';
import type { ReadCache } from '../db/read-cache.js';

type Schema = Record<string, unknown>;

function isNullSchema(schema: unknown): boolean {
  return typeof schema === 'object' && schema !== null && (schema as Schema).type === 'null';
}

/**
 * `Nullable(X)` is `anyOf: [X, null]` in the OpenAPI document, and fast-json-stringify serializes an
 * `anyOf` by validating the value against each branch first: for a task or `/me`, that validation
 * costs more than writing the JSON. The same shape said as `nullable: true` is written directly.
 */
function withNullableShortcut(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withNullableShortcut);
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy: Schema = {};
  for (const [key, value] of Object.entries(schema)) copy[key] = withNullableShortcut(value);
  const branches = copy.anyOf;
  if (Array.isArray(branches) && branches.length === 2 && branches.some(isNullSchema)) {
    const other = branches.find((branch) => !isNullSchema(branch)) as Schema | undefined;
    if (other && typeof other.type === 'string' && other.anyOf === undefined) {
      const { anyOf: _, ...rest } = copy;
      return { ...rest, ...other, nullable: true };
    }
  }
  return copy;
}

/**
 * Response serializers, compiled once per route and status. Error envelopes are built by the error
 * handler alone (errors/handler.ts): their schemas document them, and JSON.stringify writes the few
 * that carry details, rather than a serializer checking `code` against the whole catalogue.
 */
export const serializerCompiler: FastifySerializerCompiler<unknown> = ({ schema, httpStatus }) =>
  isErrorStatus(httpStatus) ? JSON.stringify : compileSerializer(schema);

function isErrorStatus(httpStatus: string | undefined): boolean {
  if (httpStatus === undefined) return false;
  return httpStatus.startsWith('4') || httpStatus.startsWith('5');
}

function compileSerializer(schema: unknown): (value: unknown) => string {
  return fastJson(withNullableShortcut(schema) as Parameters<typeof fastJson>[0]);
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * A response schema's serializer for routes that answer with the JSON it writes (sent as a string,
 * which Fastify passes through). An answer the read cache keeps while the rows behind it are unchanged
 * (`ReadCache.keep`, db/read-cache.ts) has its JSON written once and kept with it, under `name`; any
 * other answer is serialized afresh.
 */
export function keepingSerializer(name: string, schema: unknown): (reads: ReadCache, answer: object) => string {
  const serialize = compileSerializer(schema);
  return (reads, answer) => reads.keep(name, [answer], () => serialize(answer));
}
