import { AppError } from './app-error.js';
import type { ErrorCode } from './catalogue.js';

/** One field a 400 names: `field` is a dotted path into the input, `message` reads after it ("name is required"). */
export interface FieldError {
  field: string;
  message: string;
}

type Details = Record<string, unknown>;

/** The one wording of a 400 naming fields, shared with the schema validator's answers (errors/handler.ts). */
function describeFields(fields: readonly FieldError[]): string {
  return `Invalid request: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}`;
}

/**
 * A 400 naming what is wrong with which fields: `{ code, error: "Invalid request: <field> <message>", fields }`.
 * `code` is VALIDATION_FAILED unless the rule has its own (WEAK_PASSWORD, INVALID_EXPIRY); `details` adds fields
 * to the body. A rule a schema can state (length, pattern, enum, format) belongs in the schema instead.
 */
export function invalidFields(fields: FieldError[], code: ErrorCode = 'VALIDATION_FAILED', details: Details = {}): AppError {
  return new AppError(code, describeFields(fields), { ...details, fields });
}

/** {@link invalidFields} for one field: `invalidField('cursor', 'is invalid')`. */
export function invalidField(field: string, message: string, code: ErrorCode = 'VALIDATION_FAILED', details: Details = {}): AppError {
  return invalidFields([{ field, message }], code, details);
}
