import { isRaceConflict } from '../db/errors.js';
import { AppError } from './app-error.js';

function isPostgresDataException(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code) && 'severity' in (error as object);
}

/**
 * A database failure that is the request's doing or a lost race, as the AppError it answers; null
 * for anything else (a real failure: log it, answer a bare 500). Shared by the REST error handler
 * and the MCP endpoint, so both answer such failures alike.
 */
export function asAppError(err: unknown): AppError | null {
  // PostgreSQL class 22 (data exception): a value the request carried that the column cannot hold.
  if (isPostgresDataException(err)) return new AppError('BAD_REQUEST', 'A value in the request cannot be stored as given');
  // A race no service foresaw (a unique index, a row deleted meanwhile, a deadlock): a 409, not a 500.
  if (isRaceConflict(err))
    return new AppError('CONFLICT', 'This conflicts with a change made at the same time; fetch the current state and retry');
  return null;
}
