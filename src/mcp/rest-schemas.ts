import { Type, type TObject, type TSchema } from 'typebox';
import * as z from 'zod';

export type ObjectSchema = z.ZodObject<z.ZodRawShape>;

/**
 * A REST schema (TypeBox, i.e. JSON Schema) as zod, which the MCP SDK takes for tool arguments and
 * results. The tools take and return what the REST routes do, so they declare it with the very same
 * schemas: limits, formats and descriptions cannot drift apart between the two.
 */
export function zodOf(schema: TSchema): z.ZodType {
  return z.fromJSONSchema(JSON.parse(JSON.stringify(schema)) as Parameters<typeof z.fromJSONSchema>[0]);
}

/** A REST object schema (a body, a query, an answer) as a zod object. */
export function fromRest(schema: TObject): ObjectSchema {
  const converted = zodOf(schema);
  if (!(converted instanceof z.ZodObject)) throw new Error('Expected a schema of an object');
  return converted as ObjectSchema;
}

/**
 * The fields of a REST body or query, to compose a tool's arguments from (the object's own rules, such as "at least one
 * field", are the tool's to apply).
 */
export function fieldsOf(schema: TObject): z.ZodRawShape {
  return fromRest(Type.Object(schema.properties)).shape;
}
