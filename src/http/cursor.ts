import { AppError } from '../errors/app-error.js';

/** Opaque keyset cursors: base64url JSON of the last row's sort key and id. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T>(cursor: string, isValid: (value: unknown) => value is T): T {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (isValid(value)) return value;
  } catch {
    // fall through to the same answer as a well-formed but wrong cursor
  }
  throw new AppError('VALIDATION_FAILED', 'The cursor is not one this API returned', { fields: [{ field: 'cursor', message: 'is invalid' }] });
}
