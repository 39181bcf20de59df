import { sql, type Transaction } from 'kysely';
import type { ResourceKind } from '../authz/authorize-by-id.js';
import type { WorkspaceAccess } from '../authz/authorize.js';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { AppError, notFound } from '../errors/app-error.js';
import { recordEvent, type NewEvent } from '../events/events.service.js';
import { newId } from '../lib/ids.js';
import { nowIso } from '../lib/time.js';
import { actorFrom, createdBy } from '../tasks/access.js';
import { byName, fetchKeysetPage } from '../http/pagination.js';
import type { LabelRow } from './tables.js';
import { requireDeleted } from '../db/deletion.js';
import { isUniqueViolation } from '../db/errors.js';

type Queryable = Db | Transaction<Database>;

const DEFAULT_COLOR = '#6b7280';

export function toLabelView(row: LabelRow) {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    color: row.color,
    createdBy: actorFrom(row.created_by_type, row.created_by_id),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export type LabelView = ReturnType<typeof toLabelView>;

const BY_NAME = byName('labels');

export async function listLabels(db: Db, workspaceId: string, opts: { limit?: number; cursor?: string }) {
  const limit = opts.limit ?? 50;
  const query = db.selectFrom('labels').selectAll().where('workspace_id', '=', workspaceId);
  const { items, nextCursor } = await fetchKeysetPage(query, BY_NAME, { limit, cursor: opts.cursor }, (row) => row.name);
  return { items: items.map(toLabelView), nextCursor };
}

async function findLabel(db: Queryable, id: string): Promise<LabelRow | undefined> {
  return db.selectFrom('labels').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getLabel(db: Queryable, id: string): Promise<LabelRow> {
  const row = await findLabel(db, id);
  if (!row) throw notFound('Label');
  return row;
}

/** `/labels/{id}` for authorizeById: labels belong to a workspace, not to a project. */
export const LABEL: ResourceKind<LabelRow> = { noun: 'Label', find: findLabel, locate: (label) => ({ workspaceId: label.workspace_id }) };

const nameTaken = (name: string) => new AppError('CONFLICT', `A label named "${name}" already exists in this workspace`, { name });

async function requireNameFree(trx: Transaction<Database>, workspaceId: string, name: string, exceptId: string | null): Promise<void> {
  let query = trx
    .selectFrom('labels')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where(sql`lower(name)`, '=', sql`lower(${name})`);
  if (exceptId) query = query.where('id', '<>', exceptId);
  if (await query.executeTakeFirst()) throw nameTaken(name);
}

// The unique index catches what the check above cannot: two creations racing on PostgreSQL.
async function withUniqueName<T>(name: string | undefined, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (name !== undefined && isUniqueViolation(err)) throw nameTaken(name);
    throw err;
  }
}

function labelEvent(access: WorkspaceAccess, type: string, label: LabelView): NewEvent {
  return { workspaceId: access.workspaceId, type, actor: access.actor, resourceType: 'label', resourceId: label.id, data: label };
}

export async function createLabel(db: Db, access: WorkspaceAccess, input: { name: string; color?: string }): Promise<LabelView> {
  const now = nowIso();
  const row: LabelRow = {
    id: newId('label'),
    workspace_id: access.workspaceId,
    name: input.name.trim(),
    color: (input.color ?? DEFAULT_COLOR).toLowerCase(),
    ...createdBy(access.actor),
    created_at: now,
    updated_at: now,
  };
  await withUniqueName(row.name, () =>
    db.transaction().execute(async (trx) => {
      await requireNameFree(trx, access.workspaceId, row.name, null);
      await trx.insertInto('labels').values(row).execute();
      await recordEvent(trx, labelEvent(access, 'label.created', toLabelView(row)));
    }),
  );
  return toLabelView(row);
}

export async function updateLabel(
  db: Db,
  access: WorkspaceAccess,
  id: string,
  changes: { name?: string; color?: string },
): Promise<LabelView> {
  const name = changes.name?.trim();
  return withUniqueName(name, () =>
    db.transaction().execute(async (trx) => {
      if (name !== undefined) await requireNameFree(trx, access.workspaceId, name, id);
      await trx
        .updateTable('labels')
        .set({ name, color: changes.color?.toLowerCase(), updated_at: nowIso() })
        .where('id', '=', id)
        .execute();
      const view = toLabelView(await getLabel(trx, id));
      await recordEvent(trx, labelEvent(access, 'label.updated', view));
      return view;
    }),
  );
}

/** Removes the label from every task too. */
export async function deleteLabel(db: Db, access: WorkspaceAccess, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const label = await getLabel(trx, id);
    requireDeleted(await trx.deleteFrom('labels').where('id', '=', id).executeTakeFirst(), 'Label');
    await recordEvent(trx, labelEvent(access, 'label.deleted', toLabelView(label)));
  });
}
