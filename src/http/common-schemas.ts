import { Type, type TProperties } from 'typebox';
import { Named, Text } from './schemas.js';

/**
 * A string of a fixed set of values, for responses: `{ type: 'string', enum }`. A union of literals
 * would say the same, but fast-json-stringify writes an `anyOf` by validating each branch first.
 */
export function StringEnum<const Values extends string[]>(values: readonly [...Values], options: { description?: string } = {}) {
  return Type.Enum<Values>(values, { ...options, type: 'string' });
}

/** Who did something: shared by spaces, projects, labels, tasks, webhooks and events. */
export const ActorSchema = Named(
  'Actor',
  Type.Object(
    {
      type: StringEnum(['user', 'agent', 'workspace_token'], {
        description:
          'user: a person (signed in, or through a personal token); agent: an agent token; workspace_token: a workspace access token',
      }),
      id: Type.String({ description: 'The user, agent or workspace access token id' }),
    },
    { description: 'Who made a change' },
  ),
);

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
