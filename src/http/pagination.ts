import { sql, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import { invalidField } from '../errors/validation.js';

/**
 * Every list of the API pages the same way: fetch one row more than the page holds (that row only says a
 * next page exists), cut it off, and hand out the last row's sort key as an opaque cursor (base64url JSON).
 * Lists ordered by id alone use the id cursor; lists sorted by a column use a keyset sort (column, then id).
 */
export interface PageRequest {
  limit: number;
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** The JSON a cursor carries, or undefined for text that is not base64url JSON; the caller checks its shape. */
export function cursorValue(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The value a cursor of ours carries, or a 400 naming `cursor` for anything else (forged, truncated, another list's). */
export function decodeCursor<T>(cursor: string, isValid: (value: unknown) => value is T): T {
  const value = cursorValue(cursor);
  if (isValid(value)) return value;
  throw invalidField('cursor', 'is invalid');
}

/**
 * One page: `fetch(rowCount)` runs the list's query with `.limit(rowCount)` (the page size plus one);
 * `cursorOf(last)` is what the next page continues after.
 */
export async function fetchPage<Row>(
  limit: number,
  fetch: (rowCount: number) => Promise<Row[]>,
  cursorOf: (last: Row) => unknown,
): Promise<Page<Row>> {
  const rows = await fetch(limit + 1);
  const items = rows.length > limit ? rows.slice(0, limit) : rows;
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(cursorOf(last)) : null };
}

const isIdCursor = (v: unknown): v is { id: string } =>
  typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string';

/** The id a list ordered by id continues past (ids sort by creation time), or null on the first page. */
export function idAfterCursor(page: { cursor?: string | undefined }): string | null {
  return page.cursor ? decodeCursor(page.cursor, isIdCursor).id : null;
}

/** The cursor of a list ordered by id: `fetchPage(limit, fetch, idCursorOf)`. */
export const idCursorOf = (row: { id: string }): { id: string } => ({ id: row.id });

// --- Keyset sorts: one sort column, then id, so pages never skip or repeat a row ---

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

/** The condition selecting rows strictly after the page's cursor in the sort's order, or null on the first page. */
function keysetAfter(sort: KeysetSort, page: { cursor?: string | undefined }): RawBuilder<SqlBool> | null {
  if (!page.cursor) return null;
  const cursor = decodeCursor(page.cursor, isCursorOf(sort));
  const column = sql.ref(sort.column);
  const id = sql.ref(sort.idColumn);
  const asc = sort.direction === 'asc';
  if (!sort.nullable || cursor.v !== null) {
    const strictly = sql.raw(asc ? '>' : '<');
    const after = sql<SqlBool>`(${column}, ${id}) ${strictly} (${cursor.v}, ${cursor.id})`;
    // Ascending, the nulls come after every value; descending, they came before the first one.
    return sort.nullable && asc ? sql<SqlBool>`(${after} or ${column} is null)` : after;
  }
  if (asc) return sql<SqlBool>`(${column} is null and ${id} > ${cursor.id})`;
  return sql<SqlBool>`(${column} is not null or ${id} < ${cursor.id})`;
}

/** ORDER BY items for the sort, spelled the same on both dialects (SQLite puts nulls first by default). */
function keysetOrder(sort: KeysetSort): RawBuilder<unknown> {
  const direction = sql.raw(sort.direction);
  const nulls = sort.nullable ? sql.raw(sort.direction === 'asc' ? ' nulls last' : ' nulls first') : sql.raw('');
  return sql`${sql.ref(sort.column)} ${direction}${nulls}, ${sql.ref(sort.idColumn)} ${direction}`;
}

/** The cursor of a keyset list: the sort, the last row's value and its id. */
function keysetCursorOf<Row extends { id: string }>(sort: KeysetSort, sortValue: (row: Row) => SortValue) {
  return (row: Row): KeysetCursor => ({ s: sort.key, v: sortValue(row), id: row.id });
}

/** Sorted by name, then id, ascending: spaces, projects and labels list this way. */
export function byName(table: string): KeysetSort {
  return { key: 'name', column: `${table}.name`, idColumn: `${table}.id`, direction: 'asc', kind: 'text' };
}

/**
 * One page of a keyset-sorted query: the rows after the cursor, in the sort's order, and the next cursor.
 * `execute` runs the final query (by default, as built; a hot list reads it through the read cache).
 */
export function fetchKeysetPage<DB, TB extends keyof DB, Row extends { id: string }>(
  query: SelectQueryBuilder<DB, TB, Row>,
  sort: KeysetSort,
  page: { limit: number; cursor?: string | undefined },
  sortValue: (row: Row) => SortValue,
  execute: (query: SelectQueryBuilder<DB, TB, Row>) => Promise<Row[]> = (final) => final.execute(),
): Promise<Page<Row>> {
  const after = keysetAfter(sort, page);
  const paged = after ? query.where(after) : query;
  const fetch = (rowCount: number) => execute(paged.orderBy(keysetOrder(sort)).limit(rowCount));
  return fetchPage(page.limit, fetch, keysetCursorOf(sort, sortValue));
}
