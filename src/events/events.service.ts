import type { Transaction } from 'kysely';
import type { Actor } from '../authz/principal.js';
import type { ResourceType } from './event-types.js';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import type { EventRow } from './tables.js';
import { decodeCursor, fetchPage } from '../http/pagination.js';
import { newId } from '../lib/ids.js';
import { nowIso } from '../lib/time.js';

export interface NewEvent {
  workspaceId: string;
  /** e.g. `task.created`, `member.added`; webhooks subscribe to these names. */
  type: string;
  actor: Actor;
  resourceType: ResourceType;
  resourceId: string;
  projectId?: string | null;
  /** The resource as it is after the change (or was, for a deletion). */
  data: unknown;
}

/**
 * Records a domain event. Call it inside the transaction that makes the change, so the event exists
 * exactly when the change does (the webhook dispatcher reads this table as an outbox).
 */
export async function recordEvent(trx: Transaction<Database> | Db, event: NewEvent): Promise<void> {
  await trx
    .insertInto('events')
    .values({
      id: newId('event'),
      workspace_id: event.workspaceId,
      type: event.type,
      actor_type: event.actor.type,
      actor_id: event.actor.id,
      resource_type: event.resourceType,
      resource_id: event.resourceId,
      project_id: event.projectId ?? null,
      data: JSON.stringify(event.data),
      created_at: nowIso(),
    })
    .execute();
}

export interface EventView {
  id: string;
  type: string;
  actor: Actor;
  resourceType: ResourceType;
  resourceId: string;
  projectId: string | null;
  /** The resource snapshot: always a JSON object. */
  data: Record<string, unknown>;
  createdAt: string;
}

export function toEventView(row: Omit<EventRow, 'seq'>): EventView {
  return {
    id: row.id,
    type: row.type,
    actor: { type: row.actor_type, id: row.actor_id },
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    projectId: row.project_id,
    data: JSON.parse(row.data) as Record<string, unknown>,
    createdAt: row.created_at,
  };
}

// Only a seq this table could hold: a fraction or a number past bigint would fail in PostgreSQL's cast.
const isSeqCursor = (v: unknown): v is { seq: number } => {
  const seq = typeof v === 'object' && v !== null ? (v as { seq?: unknown }).seq : undefined;
  return typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 0;
};

/** Newest first; `projectIds` (a project-scoped token) hides other projects' events. */
export async function listEvents(
  db: Db,
  workspaceId: string,
  opts: { limit: number; cursor?: string; type?: string; projectIds: ReadonlySet<string> | null },
) {
  let query = db.selectFrom('events').selectAll().where('workspace_id', '=', workspaceId);
  if (opts.type) query = query.where('type', '=', opts.type);
  if (opts.cursor) query = query.where('seq', '<', decodeCursor(opts.cursor, isSeqCursor).seq);
  if (opts.projectIds) query = query.where('project_id', 'in', [...opts.projectIds, '']);
  const fetch = (rowCount: number) => query.orderBy('seq', 'desc').limit(rowCount).execute();
  const { items, nextCursor } = await fetchPage(opts.limit, fetch, (last) => ({ seq: last.seq }));
  return { items: items.map(toEventView), nextCursor };
}
