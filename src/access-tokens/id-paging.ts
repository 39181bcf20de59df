import { decodeCursor, encodeCursor } from '../http/cursor.js';

export interface Page {
  limit: number;
  cursor?: string;
}

const isIdCursor = (v: unknown): v is { id: string } =>
  typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string';

/** The id a newest-first page continues below (ids sort by creation time), or null for the first page. */
export function idBefore(page: Page): string | null {
  return page.cursor ? decodeCursor(page.cursor, isIdCursor).id : null;
}

/** Cuts the `limit + 1` rows a query fetched into one page and the cursor to the next. */
export function pageOf<T extends { id: string }>(rows: T[], limit: number): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor({ id: last.id }) : null };
}
