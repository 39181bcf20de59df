function errorCode(err: unknown): unknown {
  return typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
}

/** True when a database error is a unique-constraint violation, on either dialect. */
export function isUniqueViolation(err: unknown): boolean {
  const code = errorCode(err);
  // 23505: PostgreSQL unique_violation; better-sqlite3 reports SQLite's extended result code by name.
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

// 23503 foreign_key_violation: a row referred to was deleted meanwhile (or never was);
// 40001 serialization_failure and 40P01 deadlock_detected: PostgreSQL gave up one of two racing transactions.
const RACE_CODES: ReadonlySet<unknown> = new Set(['23503', '40001', '40P01', 'SQLITE_CONSTRAINT_FOREIGNKEY']);

/**
 * True when a database error says the request lost a race to a concurrent change (or named a row
 * that is not there), rather than that the server failed: the answer is a 409, which a retry may cure.
 */
export function isRaceConflict(err: unknown): boolean {
  return isUniqueViolation(err) || RACE_CODES.has(errorCode(err));
}
