import type { DeleteResult } from 'kysely';
import { notFound } from '../errors/app-error.js';

/**
 * Decides a deletion race by the DELETE's own row count, inside its transaction. Reading the row first
 * proves nothing on PostgreSQL: concurrent deletions all read it, then queue on its lock, and each
 * later one deletes nothing. Only the one that removed the row goes on to record the event; the
 * others answer 404 and roll back whatever they did before.
 */
export function requireDeleted(result: DeleteResult, what: string): void {
  if (result.numDeletedRows === 0n) throw notFound(what);
}
