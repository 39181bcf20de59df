import { Type, type TProperties } from 'typebox';
import { ErrorResponse, IdOf, IdParams, Nullable, StrictObject, Text } from '../http/schemas.js';

/** Shared by spaces, projects, labels and tasks. */
export const ActorSchema = Type.Object({
  type: Type.Union([Type.Literal('user'), Type.Literal('agent'), Type.Literal('workspace_token')]),
  id: Type.String(),
});

/** Ids are a prefix and base32 (`tsk_01j…`): anything else (NUL, `%`, spaces) is refused before it reaches a query. */
export const ResourceId = IdOf;
export const ResourceIdParams = IdParams;

interface TextOptions {
  minLength?: number;
  maxLength: number;
  description?: string;
}

/** Free text without NUL: PostgreSQL text cannot hold one while SQLite can, so both dialects refuse it alike. */
export function PlainText(options: TextOptions) {
  return Text(options);
}

/** Text without NUL that is not blank (at least one non-space character). */
export function NonBlankText(options: TextOptions) {
  return Text({ ...options, mustHaveText: true });
}

export const ResourceName = NonBlankText({ maxLength: 200 });
export const Description = PlainText({ maxLength: 20_000, description: 'Markdown text' });
export const OptionalDescription = Type.Optional(Description);

/** A PATCH body: unknown fields refused, and at least one field, so an empty change is a mistake, not a no-op. */
export function StrictPatch<T extends TProperties>(properties: T) {
  return Type.Object(properties, { additionalProperties: false, minProperties: 1 });
}

export const ConflictErrors = { 409: ErrorResponse };

export const NullableString = Nullable(Type.String());
