import { hotPath } from '../lib/hot-path.js';
import { ERROR_CATALOGUE, type ErrorCode } from './catalogue.js';

/** The one error domain code throws. Only the error handler turns it into HTTP. */
export class AppError extends Error {
  readonly statusCode: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra machine-readable fields merged into the error body (e.g. `missingPermission`). */
    readonly details: Record<string, unknown> = {},
    /** Extra response headers (e.g. `Retry-After`). */
    readonly headers: Record<string, string> = {},
  ) {
    // Domain errors are expected answers, not bugs: skipping the stack trace keeps refusals (a forged
    // token, a 403) nearly as cheap as a success.
    const limit = Error.stackTraceLimit;
    if (hotPath.errorsWithoutStack) Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'AppError';
    this.statusCode = ERROR_CATALOGUE[code];
  }
}

export function notFound(what: string): AppError {
  return new AppError('NOT_FOUND', `${what} not found`);
}

/**
 * A refusal shared by every request that gets it (it carries nothing request-specific), built once:
 * refusing a flood allocates no error per request. Frozen, so no caller can change what the next
 * one is told.
 */
export function sharedRefusal(error: AppError): AppError {
  Object.freeze(error.details);
  Object.freeze(error.headers);
  return Object.freeze(error);
}
