import type { RouteOptions } from 'fastify';
import { ERROR_CATALOGUE, type ErrorCode } from '../errors/catalogue.js';
import { ErrorResponse } from '../http/schemas.js';
import { bodyMayBeOmitted } from '../http/strict-input.js';

/** The operation extension that carries what the document needs to know of a route's config. */
const ROUTE_FACTS = 'x-taskgate-route';

interface RouteFacts {
  rateLimited: boolean;
  etag: boolean;
  /** The body may be left out (every field is optional). */
  bodyOptional: boolean;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function methodsOf(route: RouteOptions): string[] {
  return [route.method].flat();
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: the route never touches the database (the liveness probe), so it never answers 503. */
    usesDatabase?: boolean;
  }
}

/**
 * The statuses every route may answer besides its own: 400 (strict input everywhere), 408 and 431
 * (a request too slow or too large to read, refused before routing), 401 where credentials are
 * required, 403 there too (IP_NOT_ALLOWED: a token used from outside its IP allowlist; some kinds of credential
 * refused by the route itself) and on every write (CSRF_REJECTED: a browser's request from another site,
 * src/auth/same-origin.ts), 409 on every write
 * (a change made at the same time, e.g. the target deleted meanwhile), 413 and 415 where a body may be
 * sent, 429 where requests are rate-limited, 503 wherever the database is used.
 */
function automaticErrorStatuses(route: RouteOptions): number[] {
  const config = route.config ?? {};
  const statuses = [400, 408, 431];
  const writes = methodsOf(route).some((m) => BODY_METHODS.has(m));
  if (config.auth !== 'public') statuses.push(401);
  if (config.auth !== 'public' || writes) statuses.push(403);
  if (writes) statuses.push(409, 413, 415);
  if (config.rateLimit !== false) statuses.push(429);
  if (config.usesDatabase !== false) statuses.push(503);
  return statuses;
}

/**
 * The route's schema as the document shows it: its own responses plus the automatic ones, public
 * routes marked `security: []`, and the facts that decide its response headers.
 */
export function documentedRouteSchema(
  schema: Record<string, unknown> | undefined,
  route: RouteOptions,
): Record<string, unknown> | undefined {
  if (!schema || schema.hide) return schema;
  const response: Record<string, unknown> = { ...(schema.response as Record<string, unknown> | undefined) };
  for (const status of automaticErrorStatuses(route)) response[status] ??= ErrorResponse;
  const config = route.config ?? {};
  const facts: RouteFacts = {
    rateLimited: config.rateLimit !== false,
    etag: config.etag === true,
    bodyOptional: bodyMayBeOmitted(methodsOf(route), schema.body),
  };
  return {
    ...schema,
    response,
    ...(config.auth === 'public' ? { security: [] } : {}),
    [ROUTE_FACTS]: facts,
  };
}

const STATUS_NAMES: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  408: 'RequestTimeout',
  409: 'Conflict',
  412: 'PreconditionFailed',
  413: 'PayloadTooLarge',
  415: 'UnsupportedMediaType',
  429: 'TooManyRequests',
  431: 'HeadersTooLarge',
  500: 'InternalError',
  503: 'ServiceUnavailable',
};

const STATUS_MEANINGS: Record<number, string> = {
  400: 'The request is invalid: a malformed value, an unknown field or parameter, or a rule the input breaks',
  401: 'Credentials are missing, malformed, unknown, expired, revoked or disabled',
  403:
    'The caller is known but not allowed to do this; or (IP_NOT_ALLOWED) its token is used from outside its IP allowlist; ' +
    'or (CSRF_REJECTED) a write sent by a browser with the session cookie, ' +
    "or a sign-in or registration, came from another site's page rather than with `Sec-Fetch-Site: same-origin` or this server's `Origin`",
  404: 'No such resource, or not one the caller may see',
  405: 'The path exists, but not with this method',
  406: 'The Accept header names no type this route answers with',
  408: 'The request (its headers, or its body) did not arrive in time',
  409: 'The request conflicts with the current state, or with a change made at the same time (fetch the current state and retry)',
  412: 'The resource changed since the version given in If-Match',
  413: 'The request body is larger than the server accepts',
  415: 'The request body is not JSON',
  429: 'Too many requests: wait for Retry-After seconds',
  431: 'The request line or headers are larger than the server accepts',
  500: 'An unexpected failure on the server',
  503: 'A service the server depends on is unavailable',
};

function codesWithStatus(status: number): ErrorCode[] {
  return (Object.keys(ERROR_CATALOGUE) as ErrorCode[]).filter((code) => ERROR_CATALOGUE[code] === status);
}

function errorResponseName(status: number): string {
  const name = STATUS_NAMES[status];
  if (!name) throw new Error(`No documented error response for status ${status}: add it to STATUS_NAMES`);
  return name;
}

const header = (name: string) => ({ $ref: `#/components/headers/${name}` });

/** The response headers of every answer, and those some answers add. */
export const RESPONSE_HEADERS = {
  RequestId: {
    description: 'Identifies the request in the server log; echoes a valid `x-request-id` sent by the client',
    required: true,
    schema: { type: 'string' },
  },
  RateLimitPolicy: {
    description: 'The caller\'s budget, as in the IETF RateLimit headers draft: `"default";q=100;w=60` (100 requests per 60 s)',
    schema: { type: 'string' },
  },
  RateLimit: {
    description: 'What is left of the budget: `"default";r=99;t=42` (99 requests left, window resets in 42 s)',
    schema: { type: 'string' },
  },
  TokenExpires: {
    description:
      'When the credential the request used stops working (RFC 3339), as GitHub sends it; absent without a credential or for ' +
      'one that never expires',
    schema: { type: 'string', format: 'date-time' },
  },
  RetryAfter: { description: 'Seconds to wait before trying again', required: true, schema: { type: 'integer', minimum: 0 } },
  WwwAuthenticate: {
    description: '`Bearer error="invalid_token"` (or `Bearer` for wrong sign-in details)',
    required: true,
    schema: { type: 'string' },
  },
  ETag: {
    description: "The task's version in quotes: send it back in If-Match to guard an edit",
    required: true,
    schema: { type: 'string' },
  },
};

function commonHeaders(facts: RouteFacts | undefined): Record<string, unknown> {
  const headers: Record<string, unknown> = { 'x-request-id': header('RequestId'), 'Taskgate-Token-Expires': header('TokenExpires') };
  if (facts?.rateLimited !== false) {
    headers['RateLimit-Policy'] = header('RateLimitPolicy');
    headers.RateLimit = header('RateLimit');
  }
  return headers;
}

/** `components.responses`: one per error status, each naming the codes it may carry. */
export function errorResponses(statuses: Iterable<number>): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const status of [...new Set(statuses)].sort()) {
    const headers: Record<string, unknown> = commonHeaders(undefined);
    if (status === 401) headers['WWW-Authenticate'] = header('WwwAuthenticate');
    if (status === 429) headers['Retry-After'] = header('RetryAfter');
    responses[errorResponseName(status)] = {
      description: `${STATUS_MEANINGS[status]}. Codes: ${codesWithStatus(status).join(', ')}.`,
      headers,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
  }
  return responses;
}

interface Operation {
  summary?: string;
  requestBody?: { required?: boolean };
  responses?: Record<string, Record<string, unknown>>;
  [ROUTE_FACTS]?: RouteFacts;
  [key: string]: unknown;
}

/**
 * Finishes one operation: error responses become references to `components.responses`; successes
 * get their headers and a description; returns the error statuses it uses.
 */
export function finishOperation(operation: Operation): number[] {
  const facts = operation[ROUTE_FACTS];
  delete operation[ROUTE_FACTS];
  // @fastify/swagger marks every body required; one of only optional fields may be left out.
  if (facts?.bodyOptional && operation.requestBody) operation.requestBody.required = false;
  const used: number[] = [];
  for (const [key, response] of Object.entries(operation.responses ?? {})) {
    const status = Number(key);
    if (status >= 400) {
      used.push(status);
      operation.responses![key] = { $ref: `#/components/responses/${errorResponseName(status)}` };
      continue;
    }
    const headers = commonHeaders(facts);
    if (facts?.etag) headers.ETag = header('ETag');
    response.headers = { ...(response.headers as object | undefined), ...headers };
    if (response.description === 'Default Response') {
      response.description = status === 204 ? 'Done; there is no body' : (operation.summary ?? 'Success');
    }
  }
  return used;
}
