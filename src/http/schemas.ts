import { Type, type TSchema, type TProperties } from 'typebox';
import { REFUSAL_LAYERS } from '../authz/decide.js';
import { ERROR_CATALOGUE } from '../errors/catalogue.js';

/** A request object that refuses unknown fields (a typo must fail loudly, not be ignored). */
export function StrictObject<T extends TProperties>(properties: T, options: { description?: string; minProperties?: number } = {}) {
  return Type.Object(properties, { ...options, additionalProperties: false });
}

export function Nullable<T extends TSchema>(schema: T, options: { description?: string } = {}) {
  return Type.Union([schema, Type.Null()], options);
}

export const Timestamp = Type.String({ format: 'date-time' });

/** The schema keyword that names a shared shape (see `Named`); src/openapi/components.ts reads it. */
export const COMPONENT_NAME = 'x-component';

/**
 * Names a shared shape: the OpenAPI document lists it once under `components.schemas` and refers to
 * it by `$ref` wherever it appears, so generated clients get one named type. Two different shapes
 * given the same name stop the document from being built.
 */
export function Named<T extends TSchema>(name: string, schema: T): T {
  return Object.assign(schema, { [COMPONENT_NAME]: name });
}

/** Which layer of authorisation refused: every 403 of authorisation names it, and GET /me/permissions lists them. */
export const RefusalLayerName = Named(
  'RefusalLayer',
  Type.Enum(REFUSAL_LAYERS, {
    type: 'string',
    description:
      'The layer of authorisation that removes a permission: role, token_permissions, project_restriction, plan, ip_allowlist, ' +
      'delegation_scope or agent_matrix',
  }),
);

const FieldError = Named(
  'FieldError',
  Type.Object({
    field: Type.String({ description: 'Where the problem is: a body path such as `permissions.0`, or a parameter name' }),
    message: Type.String(),
  }),
);

export const ErrorResponse = Named(
  'Error',
  Type.Object(
    {
      error: Type.String({ description: 'A clear human message; it may change, so branch on `code`' }),
      code: Type.Enum(Object.keys(ERROR_CATALOGUE) as Array<keyof typeof ERROR_CATALOGUE>, { description: 'A stable machine code' }),
      statusCode: Type.Integer({ minimum: 400, maximum: 599, description: 'The HTTP status, repeated' }),
      requestId: Type.String({ description: 'Also sent as `x-request-id`: quote it when reporting a problem' }),
      fields: Type.Optional(Type.Array(FieldError, { description: 'VALIDATION_FAILED: each invalid field and why' })),
      missingPermission: Type.Optional(Type.String({ description: 'A 403: the permission the caller lacks' })),
      missingPermissions: Type.Optional(Type.Array(Type.String(), { description: 'A 403: every permission the caller lacks' })),
      refusedBy: Type.Optional(RefusalLayerName),
      retryAfterSeconds: Type.Optional(Type.Integer({ minimum: 0, description: 'RATE_LIMITED: also sent as `Retry-After`' })),
    },
    {
      additionalProperties: true,
      description: 'Every error answers this envelope; some codes add details such as `projectId` or `status`',
    },
  ),
);

// What a route itself may refuse with, beyond what every route may answer (400, and 401, 413, 415 and
// 429 where they apply: src/openapi/responses.ts adds those to the document from the route's config).
export const Forbidden = { 403: ErrorResponse };
export const NotFound = { 404: ErrorResponse };
export const Conflict = { 409: ErrorResponse };
export const PreconditionFailed = { 412: ErrorResponse };
export const Unavailable = { 503: ErrorResponse };

/** Every list answers `{ items, nextCursor }`; a list of a named shape is named `<Name>Page`. */
export function ListOf<T extends TSchema>(item: T) {
  const page = Type.Object({
    items: Type.Array(item),
    nextCursor: Nullable(Type.String({ description: 'Pass as `cursor` for the next page; null on the last page' })),
  });
  const itemName = (item as Record<string, unknown>)[COMPONENT_NAME];
  return typeof itemName === 'string' ? Named(`${itemName}Page`, page) : page;
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

/** A query string a route accepts whole and never reads (the web UI's pages keep their filters in the URL). */
export const AnyQuery = Type.Object({}, { additionalProperties: true });
