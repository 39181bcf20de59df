import { AppError } from '../errors/app-error.js';

/**
 * A `date-time` from a request as stored: ISO-8601 UTC with milliseconds. The format admits a leap
 * second (`…T23:59:60Z`), which no Date can hold: that answers 400 naming the field instead of throwing.
 */
export function toInstant(text: string, field: string): string {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    throw new AppError('VALIDATION_FAILED', `${field} is not a time this server can represent (leap seconds are not supported)`, {
      fields: [{ field, message: 'must be a representable date-time' }],
    });
  }
  return new Date(ms).toISOString();
}
