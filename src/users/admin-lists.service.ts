import type { Db } from '../db/database.js';
import { containsText } from '../db/text-search.js';
import { fetchPage, idAfterCursor, idCursorOf, type PageRequest } from '../http/pagination.js';
import { toPublicUser } from './users.service.js';

/** Every user of the instance, newest first (ids sort by creation time). */
export async function listUsersForAdmin(db: Db, filter: { q?: string | undefined; blocked?: boolean | undefined }, page: PageRequest) {
  let query = db.selectFrom('users').selectAll();
  const { q, blocked } = filter;
  if (q !== undefined) query = query.where((eb) => eb.or([containsText('email', q), containsText('name', q)]));
  if (blocked !== undefined) query = query.where('blocked_at', blocked ? 'is not' : 'is', null);
  const after = idAfterCursor(page);
  if (after) query = query.where('id', '<', after);
  const fetch = (rowCount: number) => query.orderBy('id', 'desc').limit(rowCount).execute();
  const { items, nextCursor } = await fetchPage(page.limit, fetch, idCursorOf);
  return { items: items.map(toPublicUser), nextCursor };
}

/** Every workspace of the instance with its member count, newest first. */
export async function listWorkspacesForAdmin(db: Db, filter: { q?: string | undefined }, page: PageRequest) {
  let query = db
    .selectFrom('workspaces')
    .select(['workspaces.id', 'workspaces.name', 'workspaces.plan', 'workspaces.created_at'])
    .select((eb) =>
      eb
        .selectFrom('workspace_members')
        .whereRef('workspace_members.workspace_id', '=', 'workspaces.id')
        .select(eb.fn.countAll<number | string>().as('n'))
        .as('member_count'),
    );
  if (filter.q !== undefined) query = query.where(containsText('workspaces.name', filter.q));
  const after = idAfterCursor(page);
  if (after) query = query.where('workspaces.id', '<', after);
  const fetch = (rowCount: number) => query.orderBy('workspaces.id', 'desc').limit(rowCount).execute();
  const { items, nextCursor } = await fetchPage(page.limit, fetch, idCursorOf);
  return {
    items: items.map((row) => ({
      id: row.id,
      name: row.name,
      plan: row.plan,
      memberCount: Number(row.member_count ?? 0),
      createdAt: row.created_at,
    })),
    nextCursor,
  };
}
