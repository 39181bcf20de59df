import type { Transaction } from 'kysely';
import type { Actor } from '../authz/principal.js';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import type { AuditLogRow } from './tables.js';
import { fetchPage, idAfterCursor, idCursorOf, type PageRequest } from '../http/pagination.js';
import { newId } from '../lib/ids.js';
import { nowIso } from '../lib/time.js';

export interface AuditEntry {
  /** Whose audit log shows the entry (a token's owner); null for workspace-only entries. */
  userId: string | null;
  workspaceId?: string | null;
  actor: Actor;
  /** e.g. `token.created`, `token.rotated`, `token.revoked`, `token.revoked_all`, `token.use_refused`. */
  action: string;
  targetType: string;
  targetId: string;
  ip: string | null;
  details?: Record<string, unknown>;
}

/** Appends an audit entry; pass the transaction that makes the change when there is one. */
export async function recordAudit(db: Db | Transaction<Database>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: newId('auditEntry'),
      user_id: entry.userId,
      workspace_id: entry.workspaceId ?? null,
      actor_type: entry.actor.type,
      actor_id: entry.actor.id,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId,
      ip: entry.ip,
      details: JSON.stringify(entry.details ?? {}),
      created_at: nowIso(),
    })
    .execute();
}

function toAuditView(row: AuditLogRow) {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    actor: { type: row.actor_type as Actor['type'], id: row.actor_id },
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    ip: row.ip,
    details: JSON.parse(row.details) as Record<string, unknown>,
    createdAt: row.created_at,
  };
}

/** A user's own audit log, newest first. */
export async function listAuditForUser(db: Db, userId: string, page: PageRequest) {
  let query = db.selectFrom('audit_log').selectAll().where('user_id', '=', userId);
  const after = idAfterCursor(page);
  if (after) query = query.where('id', '<', after);
  const fetch = (rowCount: number) => query.orderBy('id', 'desc').limit(rowCount).execute();
  const { items, nextCursor } = await fetchPage(page.limit, fetch, idCursorOf);
  return { items: items.map(toAuditView), nextCursor };
}
