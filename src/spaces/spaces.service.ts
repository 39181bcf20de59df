import type { Transaction } from 'kysely';
import type { ResourceKind } from '../authz/authorize-by-id.js';
import type { WorkspaceAccess } from '../authz/authorize.js';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { requireDeleted } from '../db/deletion.js';
import { AppError, notFound } from '../errors/app-error.js';
import { recordEvent, type NewEvent } from '../events/events.service.js';
import { newId } from '../lib/ids.js';
import { nowIso } from '../lib/time.js';
import { actorFrom, createdBy } from '../tasks/access.js';
import { byName, fetchKeysetPage } from '../http/pagination.js';
import type { SpaceRow } from './tables.js';

export function toSpaceView(row: SpaceRow) {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    description: row.description,
    createdBy: actorFrom(row.created_by_type, row.created_by_id),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export type SpaceView = ReturnType<typeof toSpaceView>;

const BY_NAME = byName('spaces');

export async function listSpaces(db: Db, workspaceId: string, opts: { limit?: number; cursor?: string }) {
  const limit = opts.limit ?? 50;
  const query = db.selectFrom('spaces').selectAll().where('workspace_id', '=', workspaceId);
  const { items, nextCursor } = await fetchKeysetPage(query, BY_NAME, { limit, cursor: opts.cursor }, (row) => row.name);
  return { items: items.map(toSpaceView), nextCursor };
}

async function findSpace(db: Db | Transaction<Database>, id: string): Promise<SpaceRow | undefined> {
  return db.selectFrom('spaces').selectAll().where('id', '=', id).executeTakeFirst();
}

async function getSpace(db: Db | Transaction<Database>, id: string): Promise<SpaceRow> {
  const row = await findSpace(db, id);
  if (!row) throw notFound('Space');
  return row;
}

/** `/spaces/{id}` for authorizeById: spaces belong to a workspace, not to a project. */
export const SPACE: ResourceKind<SpaceRow> = { noun: 'Space', find: findSpace, locate: (space) => ({ workspaceId: space.workspace_id }) };

function spaceEvent(access: WorkspaceAccess, type: string, space: SpaceView): NewEvent {
  return { workspaceId: access.workspaceId, type, actor: access.actor, resourceType: 'space', resourceId: space.id, data: space };
}

export async function createSpace(db: Db, access: WorkspaceAccess, input: { name: string; description?: string }): Promise<SpaceView> {
  const now = nowIso();
  const row: SpaceRow = {
    id: newId('space'),
    workspace_id: access.workspaceId,
    name: input.name.trim(),
    description: input.description ?? '',
    ...createdBy(access.actor),
    created_at: now,
    updated_at: now,
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('spaces').values(row).execute();
    await recordEvent(trx, spaceEvent(access, 'space.created', toSpaceView(row)));
  });
  return toSpaceView(row);
}

export async function updateSpace(
  db: Db,
  access: WorkspaceAccess,
  id: string,
  changes: { name?: string; description?: string },
): Promise<SpaceView> {
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable('spaces')
      .set({ name: changes.name?.trim(), description: changes.description, updated_at: nowIso() })
      .where('id', '=', id)
      .where('workspace_id', '=', access.workspaceId)
      .execute();
    const view = toSpaceView(await getSpace(trx, id));
    await recordEvent(trx, spaceEvent(access, 'space.updated', view));
    return view;
  });
}

/** A space that still holds projects is not deleted: losing every task in it by one call is too easy. */
export async function deleteSpace(db: Db, access: WorkspaceAccess, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const space = await getSpace(trx, id);
    const project = await trx.selectFrom('projects').select('id').where('space_id', '=', id).executeTakeFirst();
    if (project) throw new AppError('CONFLICT', 'This space still has projects: delete or move them first', { spaceId: id });
    requireDeleted(await trx.deleteFrom('spaces').where('id', '=', id).executeTakeFirst(), 'Space');
    await recordEvent(trx, spaceEvent(access, 'space.deleted', toSpaceView(space)));
  });
}
