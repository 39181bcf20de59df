import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';

/**
 * TypeBox validation as @fastify/type-provider-typebox does it, with one difference: the URL's parts
 * (params, querystring, headers) arrive as strings and are converted to their schema's types only
 * when they do not already fit it. A task id needs no conversion, and converting costs more than
 * checking. Bodies are never converted: JSON already carries its types.
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = Compile(schema);
  return (value: unknown) => {
    if (check.Check(value)) return { value };
    if (httpPart === 'body') return { error: check.Errors(value) as never };
    const converted = Value.Convert(schema, value);
    if (check.Check(converted)) return { value: converted };
    return { error: check.Errors(converted) as never };
  };
};
