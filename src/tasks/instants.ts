import { invalidField } from '../errors/validation.js';

/**
 * A `date-time` from a request as stored: ISO-8601 UTC with milliseconds. The format admits a leap
 * second (`…T23:59:60Z`), which no Date can hold: that answers 400 naming the field instead of throwing.
 */
export function toInstant(text: string, field: string): string {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    throw invalidField(field, 'must be a time this server can represent (leap seconds are not supported)');
  }
  return new Date(ms).toISOString();
}
