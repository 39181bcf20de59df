import type { Transaction } from 'kysely';
import type { Actor } from '../authz/principal.js';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import type { AuditLogRow } from './tables.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
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

export function toAuditView(row: AuditLogRow) {
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

const isIdCursor = (v: unknown): v is { id: string } =>
  typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string';

/** A user's own audit log, newest first. */
export async function listAuditForUser(db: Db, userId: string, opts: { limit: number; cursor?: string }) {
  let query = db.selectFrom('audit_log').selectAll().where('user_id', '=', userId);
  if (opts.cursor) query = query.where('id', '<', decodeCursor(opts.cursor, isIdCursor).id);
  const rows = await query.orderBy('id', 'desc').limit(opts.limit + 1).execute();
  const page = rows.slice(0, opts.limit);
  const last = page.at(-1);
  return { items: page.map(toAuditView), nextCursor: rows.length > opts.limit && last ? encodeCursor({ id: last.id }) : null };
}
