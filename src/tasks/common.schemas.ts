import { Type, type TProperties } from 'typebox';
import { ErrorResponse, Nullable } from '../http/schemas.js';

/** Shared by spaces, projects, labels and tasks. */
export const ActorSchema = Type.Object({
  type: Type.Union([Type.Literal('user'), Type.Literal('agent'), Type.Literal('workspace_token')]),
  id: Type.String(),
});

export const ResourceName = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
export const Description = Type.String({ maxLength: 20_000, description: 'Markdown text' });
export const OptionalDescription = Type.Optional(Description);

/** A PATCH body: unknown fields refused, and at least one field, so an empty change is a mistake, not a no-op. */
export function StrictPatch<T extends TProperties>(properties: T) {
  return Type.Object(properties, { additionalProperties: false, minProperties: 1 });
}

export const ConflictErrors = { 409: ErrorResponse };

export const NullableString = Nullable(Type.String());
