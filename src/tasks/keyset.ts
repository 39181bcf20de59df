import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { decodeCursor, encodeCursor } from '../http/cursor.js';

/**
 * Keyset pagination shared by every list of the task domain: rows are ordered by one sort column and
 * then by id, and a cursor carries the last row's pair, so pages never skip or repeat a row.
 */
export type SortValue = string | number | null;

export interface KeysetSort {
  /** The public name of the sort, kept in the cursor so a cursor cannot be replayed under another sort. */
  key: string;
  /** A qualified column reference, e.g. `tasks.due_at`. */
  column: string;
  idColumn: string;
  direction: 'asc' | 'desc';
  /** What the column holds: a cursor value of another kind is refused (PostgreSQL would fail to cast it). */
  kind: 'integer' | 'number' | 'timestamp' | 'text';
  /** Nulls sort as if larger than any value: last when ascending, first when descending. */
  nullable?: boolean;
}

interface KeysetCursor {
  s: string;
  v: SortValue;
  id: string;
}

const PLAIN_ID = /^[A-Za-z0-9_]{1,64}$/;
const STORED_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const INT32_LIMIT = 2 ** 31;

function fitsColumn(v: unknown, sort: KeysetSort): boolean {
  if (v === null) return sort.nullable === true;
  switch (sort.kind) {
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < INT32_LIMIT;
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'timestamp':
      return typeof v === 'string' && STORED_INSTANT.test(v) && !Number.isNaN(Date.parse(v));
    case 'text':
      return typeof v === 'string' && !v.includes('\u0000');
  }
}

/** A cursor as this sort wrote it; one of another sort decodes fine but would page wrongly, so it is refused too. */
function isCursorOf(sort: KeysetSort) {
  return (value: unknown): value is KeysetCursor => {
    if (typeof value !== 'object' || value === null) return false;
    const { s, v, id } = value as Record<string, unknown>;
    return s === sort.key && typeof id === 'string' && PLAIN_ID.test(id) && fitsColumn(v, sort);
  };
}

export function readCursor(cursor: string, sort: KeysetSort): KeysetCursor {
  return decodeCursor(cursor, isCursorOf(sort));
}

/** The condition selecting rows strictly after the cursor in the sort's order. */
export function keysetAfter(sort: KeysetSort, cursor: KeysetCursor): RawBuilder<SqlBool> {
  const column = sql.ref(sort.column);
  const id = sql.ref(sort.idColumn);
  const asc = sort.direction === 'asc';
  if (!sort.nullable || cursor.v !== null) {
    const strictly = sql.raw(asc ? '>' : '<');
    const after = sql<SqlBool>`(${column}, ${id}) ${strictly} (${cursor.v}, ${cursor.id})`;
    // Ascending, the nulls come after every value; descending, they came before the first one.
    return sort.nullable && asc ? sql<SqlBool>`(${after} or ${column} is null)` : after;
  }
  return asc
    ? sql<SqlBool>`(${column} is null and ${id} > ${cursor.id})`
    : sql<SqlBool>`(${column} is not null or ${id} < ${cursor.id})`;
}

/** ORDER BY items for the sort, spelled the same on both dialects (SQLite puts nulls first by default). */
export function keysetOrder(sort: KeysetSort): RawBuilder<unknown> {
  const direction = sql.raw(sort.direction);
  const nulls = sort.nullable ? sql.raw(sort.direction === 'asc' ? ' nulls last' : ' nulls first') : sql.raw('');
  return sql`${sql.ref(sort.column)} ${direction}${nulls}, ${sql.ref(sort.idColumn)} ${direction}`;
}

/** Cuts the `limit + 1` rows a query fetched into a page and the cursor of the next one. */
export function toPage<Row>(rows: Row[], limit: number, sort: KeysetSort, key: (row: Row) => { v: SortValue; id: string }) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor = rows.length > limit && last ? encodeCursor({ s: sort.key, ...key(last) }) : null;
  return { page, nextCursor };
}
