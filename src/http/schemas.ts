import { Type, type TSchema, type TProperties } from 'typebox';

/** A request object that refuses unknown fields (a typo must fail loudly, not be ignored). */
export function StrictObject<T extends TProperties>(properties: T, options: { description?: string } = {}) {
  return Type.Object(properties, { ...options, additionalProperties: false });
}

export function Nullable<T extends TSchema>(schema: T) {
  return Type.Union([schema, Type.Null()]);
}

export const Timestamp = Type.String({ format: 'date-time' });

export const ErrorResponse = Type.Object(
  {
    error: Type.String({ description: 'A clear human message' }),
    code: Type.String({ description: 'A stable machine code, e.g. INVALID_TOKEN' }),
    statusCode: Type.Integer(),
    requestId: Type.String(),
  },
  { additionalProperties: true },
);

/** Every list answers `{ items, nextCursor }`. */
export function ListOf<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) });
}

/** Our ids are `prefix_` + base32: anything else cannot name a row, and is refused before any query. */
export function IdOf(description?: string) {
  return Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_]+$', ...(description ? { description } : {}) });
}

export const Id = IdOf();

export const IdParams = StrictObject({ id: Id });

/**
 * Free text that both dialects can store: PostgreSQL text cannot hold NUL, so it is refused everywhere.
 * `mustHaveText` also refuses blank strings.
 */
export function Text(options: { minLength?: number; maxLength: number; description?: string; mustHaveText?: boolean }) {
  const { mustHaveText, ...rest } = options;
  return mustHaveText
    ? Type.String({ minLength: 1, ...rest, pattern: '^\\s*[^\\s\\u0000][^\\u0000]*$' })
    : Type.String({ ...rest, pattern: '^[^\\u0000]*$' });
}

export const Pagination = {
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
};

/** The error responses every authenticated route may give, for the OpenAPI document. */
export const AuthErrors = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
  429: ErrorResponse,
};
