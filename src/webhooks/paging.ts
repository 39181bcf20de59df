import { decodeCursor, encodeCursor } from '../http/cursor.js';

const isIdCursor = (v: unknown): v is { id: string } =>
  typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string';

/** The id a keyset cursor of ours points past. */
export function cursorId(cursor: string): string {
  return decodeCursor(cursor, isIdCursor).id;
}

/** `{ items, nextCursor }` from up to `limit + 1` rows ordered by id. */
export function idPage<Row extends { id: string }, View>(rows: Row[], limit: number, view: (row: Row) => View) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, items: page.map(view), nextCursor: rows.length > limit && last ? encodeCursor({ id: last.id }) : null };
}
