import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './app-error.js';
import { ERROR_CATALOGUE, type ErrorCode } from './catalogue.js';
import { asAppError } from './known-errors.js';
import { invalidFields, type FieldError } from './validation.js';

interface ErrorBody {
  error: string;
  code: ErrorCode;
  statusCode: number;
  requestId: string;
  [detail: string]: unknown;
}

function fieldErrors(error: FastifyError): FieldError[] {
  const byField = new Map<string, string>();
  for (const v of error.validation ?? []) {
    const params = v.params as Record<string, unknown>;
    const extra = params.additionalProperties ?? params.missingProperty ?? params.requiredProperties;
    const base = v.instancePath ? v.instancePath.slice(1).replaceAll('/', '.') : '';
    const field = [base, Array.isArray(extra) ? extra.join(',') : extra].filter(Boolean).join('.') || (error.validationContext ?? 'body');
    // An unknown field yields both "schema is false" and "must not have additional properties": say it once, plainly.
    const message =
      v.keyword === 'additionalProperties' || v.message === 'schema is false' ? 'is not an allowed field' : (v.message ?? 'is invalid');
    if (!byField.has(field)) byField.set(field, message);
  }
  return [...byField].map(([field, message]) => ({ field, message }));
}

// Fastify's own errors (parsing, limits) mapped onto our catalogue.
const FASTIFY_CODES: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'MALFORMED_JSON', message: 'The request body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'MALFORMED_JSON', message: 'The request body is empty but declared as JSON' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the body as application/json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'BAD_REQUEST', message: 'The Content-Length header does not match the body' },
};

function hasKeys(record: Record<string, unknown>): boolean {
  for (const _ in record) return true;
  return false;
}

function toBody(request: FastifyRequest, code: ErrorCode, message: string, details: Record<string, unknown> = {}): ErrorBody {
  const body = { error: message, code, statusCode: ERROR_CATALOGUE[code], requestId: request.id };
  // Most refusals carry no details: no spread (slow in V8) on the path a flood of bad tokens takes.
  return hasKeys(details) ? { ...details, ...body } : body;
}

/** Writes an error envelope; used by the error handler and by hooks that answer early. */
export function sendError(reply: FastifyReply, error: AppError): FastifyReply {
  if (error.statusCode === 401 && !reply.hasHeader('www-authenticate')) {
    // Missing, malformed, unknown, revoked or expired credentials all say invalid_token, as clients expect.
    reply.header('www-authenticate', error.code === 'INVALID_CREDENTIALS' ? 'Bearer' : 'Bearer error="invalid_token"');
  }
  for (const name in error.headers) reply.header(name, error.headers[name]);
  reply.code(error.statusCode);
  return reply.send(toBody(reply.request, error.code, error.message, error.details));
}

/** The one error handler: every failure leaves as the same JSON envelope, unknown ones as a bare 500. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) return sendError(reply, error);
    if (error.validation) {
      return sendError(reply, invalidFields(fieldErrors(error)));
    }
    const known = error.code ? FASTIFY_CODES[error.code] : undefined;
    // A database failure that is the request's doing or a lost race (known-errors.ts): a 4xx, not a 500.
    const fromDatabase = asAppError(error);
    if (fromDatabase) return sendError(reply, fromDatabase);
    if (known) return sendError(reply, new AppError(known.code, known.message));
    if (error.statusCode === 429) return sendError(reply, new AppError('RATE_LIMITED', 'Too many requests'));
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(reply, new AppError('BAD_REQUEST', 'The request could not be understood'));
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, new AppError('INTERNAL_ERROR', 'Something went wrong on our side; the request id identifies it in our logs'));
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(reply, new AppError('ROUTE_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`)),
  );
}
