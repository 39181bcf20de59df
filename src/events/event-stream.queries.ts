import { sql } from 'kysely';
import type { Db, DialectName } from '../db/database.js';
import type { EventRow } from './tables.js';
import { START, type EventPosition } from './event-position.js';
import { toEventView, type EventView } from './events.service.js';

/** An event with its place in the stream order. */
export interface PositionedEvent {
  position: EventPosition;
  event: EventView;
}

type PositionedRow = Omit<EventRow, 'seq'> & { seq: number | string; txid: string };

function positionColumn(dialect: DialectName) {
  return dialect === 'postgres' ? sql`txid::text as txid` : sql`'0' as txid`;
}

/** Only what can no longer be overtaken: on PostgreSQL, events of transactions older than every running one. */
function readable(dialect: DialectName) {
  return dialect === 'postgres' ? sql`txid < pg_snapshot_xmin(pg_current_snapshot())` : sql`1 = 1`;
}

function pastPosition(dialect: DialectName, after: EventPosition) {
  return dialect === 'postgres' ? sql`(txid, seq) > (${after.txid.toString()}::xid8, ${after.seq})` : sql`seq > ${after.seq}`;
}

function streamOrder(dialect: DialectName, direction: 'asc' | 'desc') {
  const dir = sql.raw(direction);
  return dialect === 'postgres' ? sql`txid ${dir}, seq ${dir}` : sql`seq ${dir}`;
}

const toPosition = (row: { seq: number | string; txid: string }): EventPosition => ({ txid: BigInt(row.txid), seq: Number(row.seq) });

/** The workspace's readable events past `after`, in stream order, at most `limit`. */
export async function eventsAfter(
  db: Db,
  dialect: DialectName,
  workspaceId: string,
  after: EventPosition,
  limit: number,
): Promise<PositionedEvent[]> {
  const { rows } = await sql<PositionedRow>`
    select seq, ${positionColumn(dialect)}, id, workspace_id, type, actor_type, actor_id,
      resource_type, resource_id, project_id, data, created_at
    from events
    where workspace_id = ${workspaceId} and ${pastPosition(dialect, after)} and ${readable(dialect)}
    order by ${streamOrder(dialect, 'asc')} limit ${limit}`.execute(db);
  return rows.map((row) => ({ position: toPosition(row), event: toEventView(row) }));
}

/** Where a stream that starts now begins: after the workspace's last readable event, or null when there is none. */
export async function latestPosition(db: Db, dialect: DialectName, workspaceId: string): Promise<EventPosition | null> {
  const { rows } = await sql<{ seq: number; txid: string }>`
    select seq, ${positionColumn(dialect)} from events
    where workspace_id = ${workspaceId} and ${readable(dialect)}
    order by ${streamOrder(dialect, 'desc')} limit 1`.execute(db);
  return rows[0] ? toPosition(rows[0]) : null;
}

/**
 * Where a stream that starts after one of the workspace's events (one a list showed) begins, or null when
 * there is no such event. On PostgreSQL a list can show an event while an older transaction is still
 * running; its events, committed later, come before this one in the stream order. So the stream begins
 * at the oldest transaction that was running when the event was inserted (`snapshot_xmin`): every
 * transaction before it had committed, and its events were listed with this one. The stream may repeat
 * a few events the list showed (clients tell them apart by `id`); it never skips one. Events recorded
 * before that column existed fall back to the last readable event.
 */
export async function positionAfterEvent(
  db: Db,
  dialect: DialectName,
  workspaceId: string,
  eventId: string,
): Promise<EventPosition | null> {
  if (dialect === 'sqlite') {
    const row = await db
      .selectFrom('events')
      .select('seq')
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', eventId)
      .executeTakeFirst();
    return row ? { txid: 0n, seq: Number(row.seq) } : null;
  }
  const { rows } = await sql<{ seq: string; txid: string; snapshot_xmin: string | null; readable: boolean }>`
    select seq, txid::text as txid, snapshot_xmin::text as snapshot_xmin, ${readable(dialect)} as readable from events
    where workspace_id = ${workspaceId} and id = ${eventId}`.execute(db);
  const row = rows[0];
  if (!row) return null;
  if (row.snapshot_xmin !== null) return { txid: BigInt(row.snapshot_xmin), seq: 0 };
  if (row.readable) return toPosition(row);
  return (await latestPosition(db, dialect, workspaceId)) ?? START;
}
