import type { Transaction } from 'kysely';
import type { Caller } from '../credentials/change-log.js';
import { disableCredentialsOf } from '../credentials/creator-departure.js';
import type { WorkspaceAccess } from '../authz/authorize.js';
import { requirePermission, requireRoleWithin } from '../authz/authorize.js';
import { roleAtLeast, type Role } from '../authz/roles.js';
import type { Db } from '../db/database.js';
import { isUniqueViolation } from '../db/errors.js';
import type { Database } from '../db/schema.js';
import { recordEvent } from '../events/events.service.js';
import { AppError, notFound } from '../errors/app-error.js';
import { nowIso } from '../lib/time.js';
import { findUserByEmail } from '../users/users.service.js';
import { lockWorkspace } from './workspace-lock.js';

export interface MemberView {
  userId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: string;
}

export function membersQuery(db: Db | Transaction<Database>, workspaceId: string) {
  return db
    .selectFrom('workspace_members')
    .innerJoin('users', 'users.id', 'workspace_members.user_id')
    .select(['users.id as userId', 'users.email', 'users.name', 'workspace_members.role', 'workspace_members.created_at as joinedAt'])
    .where('workspace_members.workspace_id', '=', workspaceId);
}

export async function listMembers(db: Db, workspaceId: string): Promise<MemberView[]> {
  return membersQuery(db, workspaceId).orderBy('workspace_members.created_at').orderBy('users.id').execute();
}

export async function getMember(db: Db | Transaction<Database>, workspaceId: string, userId: string): Promise<MemberView> {
  const member = await membersQuery(db, workspaceId).where('users.id', '=', userId).executeTakeFirst();
  if (!member) throw notFound('Member');
  return member;
}

async function ownerCount(trx: Transaction<Database>, workspaceId: string): Promise<number> {
  const { count } = await trx
    .selectFrom('workspace_members')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('workspace_id', '=', workspaceId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(count);
}

/** Only someone at or above a member's role may change or remove them (or yourself, to leave). */
function requireOutranks(access: WorkspaceAccess, target: MemberView): void {
  const self = access.actor.type === 'user' && access.actor.id === target.userId;
  if (!self && (!access.role || !roleAtLeast(access.role, target.role))) {
    throw new AppError('ROLE_ESCALATION', 'You cannot change a member whose role is above your own');
  }
}

const alreadyMember = () => new AppError('ALREADY_MEMBER', 'This user is already a member');

/**
 * Adds an existing account directly, without its consent: only the server operator's own tools (the
 * `taskgate demo` CLI) do this. The API invites instead (invitations.service.ts).
 */
export async function addMember(db: Db, access: WorkspaceAccess, email: string, role: Role): Promise<MemberView> {
  requireRoleWithin(access, role);
  const user = await findUserByEmail(db, email);
  if (!user) throw notFound('User with this email');
  const now = nowIso();
  try {
    return await db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('workspace_members')
        .select('role')
        .where('workspace_id', '=', access.workspaceId)
        .where('user_id', '=', user.id)
        .executeTakeFirst();
      if (existing) throw alreadyMember();
      await trx
        .insertInto('workspace_members')
        .values({ workspace_id: access.workspaceId, user_id: user.id, role, created_at: now, updated_at: now })
        .execute();
      const member = await getMember(trx, access.workspaceId, user.id);
      await recordEvent(trx, {
        workspaceId: access.workspaceId,
        type: 'member.added',
        actor: access.actor,
        resourceType: 'member',
        resourceId: user.id,
        data: member,
      });
      return member;
    });
  } catch (err) {
    // Two additions racing past the check above meet the primary key instead (PostgreSQL).
    if (isUniqueViolation(err)) throw alreadyMember();
    throw err;
  }
}

// A workspace always keeps an Owner: checked inside the transaction that would remove the last one.
async function assertOwnerRemains(trx: Transaction<Database>, workspaceId: string, target: MemberView): Promise<void> {
  if (target.role === 'owner' && (await ownerCount(trx, workspaceId)) <= 1) {
    throw new AppError('LAST_OWNER', 'A workspace must keep at least one Owner; make someone else Owner first');
  }
}

export async function changeMemberRole(db: Db, access: WorkspaceAccess, userId: string, role: Role): Promise<MemberView> {
  requireRoleWithin(access, role);
  return db.transaction().execute(async (trx) => {
    await lockWorkspace(trx, access.workspaceId);
    const target = await getMember(trx, access.workspaceId, userId);
    requireOutranks(access, target);
    if (role !== 'owner') await assertOwnerRemains(trx, access.workspaceId, target);
    await trx
      .updateTable('workspace_members')
      .set({ role, updated_at: nowIso() })
      .where('workspace_id', '=', access.workspaceId)
      .where('user_id', '=', userId)
      .execute();
    const member = await getMember(trx, access.workspaceId, userId);
    await recordEvent(trx, {
      workspaceId: access.workspaceId,
      type: 'member.role_changed',
      actor: access.actor,
      resourceType: 'member',
      resourceId: userId,
      data: { ...member, previousRole: target.role },
    });
    return member;
  });
}

/**
 * Removing someone else needs `members:write`. Leaving (your own user id) needs a session, or a token
 * that could remove members anyway (`members:write`, not limited to some projects): a narrow token
 * must not be able to take its owner out of a workspace.
 */
function requireMayRemove(access: WorkspaceAccess, userId: string): void {
  const leavingFromSession = access.principal.kind === 'session' && access.principal.user.id === userId;
  if (!leavingFromSession) requirePermission(access, 'members:write');
}

/**
 * Removes a member (or the caller, leaving). The workspace access tokens and agents they created are
 * disabled in the same transaction (`creator_removed`), so none outlives its creator's membership;
 * an administrator may re-enable them.
 */
export async function removeMember(db: Db, caller: Caller, userId: string): Promise<void> {
  const { access } = caller;
  requireMayRemove(access, userId);
  await db.transaction().execute(async (trx) => {
    await lockWorkspace(trx, access.workspaceId);
    const target = await getMember(trx, access.workspaceId, userId);
    requireOutranks(access, target);
    await assertOwnerRemains(trx, access.workspaceId, target);
    const removed = await trx
      .deleteFrom('workspace_members')
      .where('workspace_id', '=', access.workspaceId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    // Two removals at once (SQLite serialises them; PostgreSQL waits on the lock above): only one records.
    if (removed.numDeletedRows === 0n) throw notFound('Member');
    await recordEvent(trx, {
      workspaceId: access.workspaceId,
      type: 'member.removed',
      actor: access.actor,
      resourceType: 'member',
      resourceId: userId,
      data: target,
    });
    await disableCredentialsOf(trx, {
      userId,
      workspaceId: access.workspaceId,
      reason: 'creator_removed',
      actor: access.actor,
      ip: caller.ip,
    });
  });
}
