import { idBefore, pageOf, type Page } from '../access-tokens/id-paging.js';
import type { Db } from '../db/database.js';
import { containsText } from '../db/text-search.js';
import { toPublicUser } from './users.service.js';

/** Every user of the instance, newest first (ids sort by creation time). */
export async function listUsersForAdmin(db: Db, filter: { q?: string | undefined; blocked?: boolean | undefined }, page: Page) {
  let query = db.selectFrom('users').selectAll();
  const { q, blocked } = filter;
  if (q !== undefined) query = query.where((eb) => eb.or([containsText('email', q), containsText('name', q)]));
  if (blocked !== undefined) query = query.where('blocked_at', blocked ? 'is not' : 'is', null);
  const before = idBefore(page);
  if (before) query = query.where('id', '<', before);
  const { items, nextCursor } = pageOf(await query.orderBy('id', 'desc').limit(page.limit + 1).execute(), page.limit);
  return { items: items.map(toPublicUser), nextCursor };
}

/** Every workspace of the instance with its member count, newest first. */
export async function listWorkspacesForAdmin(db: Db, filter: { q?: string | undefined }, page: Page) {
  let query = db
    .selectFrom('workspaces')
    .select(['workspaces.id', 'workspaces.name', 'workspaces.plan', 'workspaces.created_at'])
    .select((eb) => eb.selectFrom('workspace_members').whereRef('workspace_members.workspace_id', '=', 'workspaces.id')
      .select(eb.fn.countAll<number | string>().as('n')).as('member_count'));
  if (filter.q !== undefined) query = query.where(containsText('workspaces.name', filter.q));
  const before = idBefore(page);
  if (before) query = query.where('workspaces.id', '<', before);
  const { items, nextCursor } = pageOf(await query.orderBy('workspaces.id', 'desc').limit(page.limit + 1).execute(), page.limit);
  return {
    items: items.map((row) => ({
      id: row.id, name: row.name, plan: row.plan, memberCount: Number(row.member_count ?? 0), createdAt: row.created_at,
    })),
    nextCursor,
  };
}
