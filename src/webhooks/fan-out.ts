import { sql, type Selectable, type Transaction } from 'kysely';
import type { Db, DialectName } from '../db/database.js';
import type { Database } from '../db/schema.js';
import type { EventRow } from '../events/tables.js';
import { subscriptionMatches } from '../events/event-types.js';
import { nowIso } from '../lib/time.js';
import { pendingDelivery } from './delivery-queue.js';
import { eventPayload, type EventFacts } from './payload.js';
import type { WebhookDeliveryRow, WebhookRow } from './tables.js';

/** Events read per step. */
const FAN_OUT_BATCH = 500;
/** Delivery rows built and inserted per step: memory and the transaction stay small however many endpoints listen. */
const MAX_DELIVERIES_PER_STEP = 2000;
const INSERT_CHUNK = 200;

interface OutboxEvent extends EventFacts {
  seq: number;
  /** PostgreSQL transaction id (text); '0' on SQLite. */
  txid: string;
}

/** An event row as the outbox query selects it: the stored columns plus the transaction id. */
type OutboxRow = Selectable<EventRow> & { txid: string };

function toOutboxEvent(row: OutboxRow): OutboxEvent {
  return {
    seq: Number(row.seq),
    txid: row.txid,
    id: row.id,
    type: row.type,
    workspaceId: row.workspace_id,
    projectId: row.project_id,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    actor: { type: row.actor_type, id: row.actor_id },
    data: row.data,
    createdAt: row.created_at,
  };
}

/**
 * Takes the cursor row for this transaction, or null when another process holds it (it is fanning out
 * right now). On SQLite the first statement is a write, so the transaction holds the write lock from the
 * start and never fails to upgrade a stale read.
 */
async function lockCursor(trx: Transaction<Database>, dialect: DialectName) {
  if (dialect === 'postgres') {
    return trx.selectFrom('webhook_cursor').selectAll().where('name', '=', 'events').forUpdate().skipLocked().executeTakeFirst();
  }
  return trx.updateTable('webhook_cursor').set({ updated_at: nowIso() }).where('name', '=', 'events').returningAll().executeTakeFirst();
}

type Reader = Db | Transaction<Database>;

type Cursor = { last_seq: number; last_txid: string };

/**
 * Events past the cursor that can be read safely, in an order in which no event can still appear behind
 * the cursor. SQLite has one writer at a time, so seq order is commit order. PostgreSQL reads only
 * events of transactions older than every one still running, in (txid, seq) order.
 *
 * On PostgreSQL that horizon is the snapshot's xmin, which is server-wide: a transaction that has written
 * something and stays open, anywhere on the server (any database, any client), holds back fan-out until
 * it ends. Deliveries are then late, never lost. Long-running write transactions (a migration, a stuck
 * client, an idle-in-transaction session) therefore delay webhooks; idle_in_transaction_session_timeout
 * bounds the last kind.
 */
function pastCursor(dialect: DialectName, cursor: Cursor) {
  return dialect === 'postgres'
    ? sql`(txid, seq) > (${cursor.last_txid}::xid8, ${cursor.last_seq}) and txid < pg_snapshot_xmin(pg_current_snapshot())`
    : sql`seq > ${cursor.last_seq}`;
}

function positionColumns(dialect: DialectName) {
  return dialect === 'postgres' ? sql`seq, txid::text as txid` : sql`seq, '0' as txid`;
}

function commitOrder(dialect: DialectName, direction: 'asc' | 'desc') {
  const dir = sql.raw(direction);
  return dialect === 'postgres' ? sql`txid ${dir}, seq ${dir}` : sql`seq ${dir}`;
}

async function eventsPast(db: Reader, dialect: DialectName, cursor: Cursor, limit: number): Promise<OutboxEvent[]> {
  const result = await sql<OutboxRow>`
    select ${positionColumns(dialect)}, id, workspace_id, type, actor_type, actor_id,
      resource_type, resource_id, project_id, data, created_at
    from events where ${pastCursor(dialect, cursor)} order by ${commitOrder(dialect, 'asc')} limit ${limit}`.execute(db);
  return result.rows.map(toOutboxEvent);
}

/**
 * The last readable event when no endpoint is enabled anywhere, so the cursor can jump there without
 * reading what nobody will receive. One statement, one snapshot: an endpoint created meanwhile either is
 * seen here or was created after every event this returns.
 */
async function lastEventNobodyHears(trx: Reader, dialect: DialectName, cursor: Cursor): Promise<Cursor | null> {
  const result = await sql<{ seq: number; txid: string }>`
    select ${positionColumns(dialect)} from events
    where ${pastCursor(dialect, cursor)} and not exists (select 1 from webhooks where enabled = 1)
    order by ${commitOrder(dialect, 'desc')} limit 1`.execute(trx);
  const [last] = result.rows;
  return last ? { last_seq: Number(last.seq), last_txid: last.txid } : null;
}

/** What fan-out needs of an endpoint (its secret is never read here). */
type SubscriberRow = Pick<WebhookRow, 'id' | 'workspace_id' | 'events' | 'project_ids' | 'created_at'>;

interface Subscriber {
  row: SubscriberRow;
  events: string[];
  projectIds: string[] | null;
}

function wants(webhook: Subscriber, event: OutboxEvent): boolean {
  if (webhook.row.workspace_id !== event.workspaceId) return false;
  // An endpoint hears only of events recorded after it was created.
  if (event.createdAt < webhook.row.created_at) return false;
  if (!subscriptionMatches(webhook.events, event.type)) return false;
  return webhook.projectIds === null || (event.projectId !== null && webhook.projectIds.includes(event.projectId));
}

async function subscribersOf(trx: Transaction<Database>, events: OutboxEvent[]): Promise<Subscriber[]> {
  const workspaceIds = [...new Set(events.map((e) => e.workspaceId))];
  const rows = await trx
    .selectFrom('webhooks')
    .select(['id', 'workspace_id', 'events', 'project_ids', 'created_at'])
    .where('workspace_id', 'in', workspaceIds)
    .where('enabled', '=', 1)
    .execute();
  return rows.map((row) => ({
    row,
    events: JSON.parse(row.events) as string[],
    projectIds: row.project_ids === null ? null : (JSON.parse(row.project_ids) as string[]),
  }));
}

interface Matched {
  deliveries: WebhookDeliveryRow[];
  /** How many of the events (from the first) the deliveries cover. */
  eventsTaken: number;
}

/**
 * The deliveries of the events, from the first, stopping before the event that would take them past
 * `maxDeliveries` (the first event is always taken: a workspace has at most 100 endpoints).
 */
async function matchingDeliveries(trx: Transaction<Database>, events: OutboxEvent[], maxDeliveries: number): Promise<Matched> {
  const subscribers = await subscribersOf(trx, events);
  if (subscribers.length === 0) return { deliveries: [], eventsTaken: events.length };
  const now = nowIso();
  const deliveries: WebhookDeliveryRow[] = [];
  let eventsTaken = 0;
  for (const event of events) {
    const wanting = subscribers.filter((webhook) => wants(webhook, event));
    if (eventsTaken > 0 && deliveries.length + wanting.length > maxDeliveries) break;
    eventsTaken++;
    if (wanting.length === 0) continue;
    const payload = eventPayload(event);
    for (const webhook of wanting) {
      deliveries.push(
        pendingDelivery(
          { webhookId: webhook.row.id, workspaceId: event.workspaceId, messageId: event.id, eventType: event.type, payload },
          now,
        ),
      );
    }
  }
  return { deliveries, eventsTaken };
}

export interface FanOutStep {
  events: number;
  deliveries: number;
  /** More events may be waiting: worth another step at once. */
  more: boolean;
}

const NOTHING: FanOutStep = { events: 0, deliveries: 0, more: false };

/**
 * One fan-out step: reads the events past the stored cursor, inserts one delivery per matching enabled
 * endpoint (at most `maxDeliveries` rows, past the first event's), and advances the cursor past the
 * events it covered, all in one transaction: a crash anywhere leaves the events to be read again.
 */
export async function fanOutOnce(db: Db, dialect: DialectName, maxDeliveries = MAX_DELIVERIES_PER_STEP): Promise<FanOutStep> {
  // A read-only look first: an idle poll takes no lock and writes nothing.
  const seen = await db.selectFrom('webhook_cursor').selectAll().where('name', '=', 'events').executeTakeFirst();
  if (!seen || (await eventsPast(db, dialect, seen, 1)).length === 0) return NOTHING;
  return db.transaction().execute(async (trx) => {
    const cursor = await lockCursor(trx, dialect);
    if (!cursor) return NOTHING;
    const unheard = await lastEventNobodyHears(trx, dialect, cursor);
    if (unheard) {
      await trx
        .updateTable('webhook_cursor')
        .set({ ...unheard, updated_at: nowIso() })
        .where('name', '=', 'events')
        .execute();
      return NOTHING;
    }
    const events = await eventsPast(trx, dialect, cursor, FAN_OUT_BATCH);
    if (events.length === 0) return NOTHING;
    const { deliveries, eventsTaken } = await matchingDeliveries(trx, events, maxDeliveries);
    const last = events[eventsTaken - 1];
    if (!last) return NOTHING;
    for (let i = 0; i < deliveries.length; i += INSERT_CHUNK) {
      await trx
        .insertInto('webhook_deliveries')
        .values(deliveries.slice(i, i + INSERT_CHUNK))
        .onConflict((oc) => oc.columns(['webhook_id', 'message_id']).doNothing())
        .execute();
    }
    await trx
      .updateTable('webhook_cursor')
      .set({ last_seq: last.seq, last_txid: last.txid, updated_at: nowIso() })
      .where('name', '=', 'events')
      .execute();
    return { events: eventsTaken, deliveries: deliveries.length, more: eventsTaken < events.length || events.length === FAN_OUT_BATCH };
  });
}
