import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

type Json = Record<string, unknown>;

// The only spellings a URL part may use for a number or a boolean: `1.5` is no integer, and `1e2`,
// `0x10`, `+5`, ` 5` or `TRUE` are not how anyone means a number or a boolean, so they are refused
// rather than coerced.
const INTEGER = /^-?(0|[1-9][0-9]*)$/;
const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;

function convertText(schema: Json | undefined, text: string): unknown {
  switch (schema?.type) {
    case 'integer':
      return INTEGER.test(text) ? Number(text) : text;
    case 'number':
      return NUMBER.test(text) ? Number(text) : text;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    default:
      return text;
  }
}

/** The URL part with each declared number or boolean read from its one accepted spelling. */
function convertUrlPart(schema: Json, value: unknown): unknown {
  const properties = schema.properties as Record<string, Json> | undefined;
  if (!properties || typeof value !== 'object' || value === null) return value;
  const converted: Json = { ...(value as Json) };
  for (const [name, raw] of Object.entries(converted)) {
    if (typeof raw === 'string') converted[name] = convertText(properties[name], raw);
  }
  return converted;
}

/**
 * TypeBox validation as @fastify/type-provider-typebox does it, with one difference: the URL's parts
 * (params, querystring, headers) arrive as strings and are converted to their schema's types only
 * when they do not already fit it, and only from their canonical spelling. A task id needs no
 * conversion, and converting costs more than checking. Bodies are never converted: JSON already
 * carries its types.
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = Compile(schema);
  return (value: unknown) => {
    if (check.Check(value)) return { value };
    if (httpPart === 'body') return { error: check.Errors(value) as never };
    const converted = convertUrlPart(schema as Json, value);
    if (check.Check(converted)) return { value: converted };
    return { error: check.Errors(converted) as never };
  };
};
