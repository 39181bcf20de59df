import { invalidField } from '../errors/validation.js';
import type { DialectName } from '../db/database.js';
import { cursorValue, encodeCursor } from '../http/pagination.js';

/**
 * Where an event stands in the order events become readable, the order a stream sends them in.
 * SQLite has one writer at a time, so `seq` alone is commit order (`txid` is always 0). On PostgreSQL
 * a `seq` is taken at insert but seen at commit, so the order is (transaction id, seq), read only below
 * the oldest transaction still running (see db/migrations/0005_webhooks.ts): nothing can appear later
 * behind a position already passed.
 */
export interface EventPosition {
  txid: bigint;
  seq: number;
}

/** Before every event: a stream starting here sends the whole history. */
export const START: EventPosition = Object.freeze({ txid: 0n, seq: 0 });

/** Whether `a` comes after `b` in the stream order. */
export function isAfter(a: EventPosition, b: EventPosition): boolean {
  return a.txid === b.txid ? a.seq > b.seq : a.txid > b.txid;
}

/** The SSE `id` of an event at this position: opaque, like every cursor of the API. */
export function positionCursor(position: EventPosition): string {
  return encodeCursor({ txid: position.txid.toString(), seq: position.seq });
}

const MAX_XID8 = (1n << 64n) - 1n;

function positionOf(value: unknown, dialect: DialectName): EventPosition | null {
  if (typeof value !== 'object' || value === null) return null;
  const { txid, seq } = value as { txid?: unknown; seq?: unknown };
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return null;
  if (typeof txid !== 'string' || !/^\d{1,20}$/.test(txid)) return null;
  const xid = BigInt(txid);
  // A SQLite position never has a transaction id: one that does came from another server.
  if (xid > MAX_XID8 || (dialect === 'sqlite' && xid !== 0n)) return null;
  return { txid: xid, seq };
}

/**
 * The position an SSE id names, or a 400 naming where the bad value came from (`Last-Event-ID` or
 * `after`), before the stream starts.
 */
export function parsePositionCursor(cursor: string, dialect: DialectName, field: string): EventPosition {
  const position = positionOf(cursorValue(cursor), dialect);
  if (position) return position;
  throw invalidField(field, 'is not an event id or a stream position this server gave');
}
