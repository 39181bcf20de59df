import type { Transaction } from 'kysely';
import { fetchPage, idAfterCursor, idCursorOf, type PageRequest } from '../http/pagination.js';
import { requireRoleWithin, type WorkspaceAccess } from '../authz/authorize.js';
import type { Actor, AuthUser } from '../authz/principal.js';
import type { Role } from '../authz/roles.js';
import type { Db } from '../db/database.js';
import { isUniqueViolation } from '../db/errors.js';
import type { Database } from '../db/schema.js';
import { AppError, notFound } from '../errors/app-error.js';
import { recordEvent } from '../events/events.service.js';
import { newId } from '../lib/ids.js';
import { isoIn, nowIso } from '../lib/time.js';
import { normaliseEmail } from '../users/users.service.js';
import { getMember, membersQuery, type MemberView } from './members.service.js';
import { lockWorkspace } from './workspace-lock.js';
import type { InvitationStatus, WorkspaceInvitationRow } from './tables.js';

type Executor = Db | Transaction<Database>;

export interface InvitationView {
  id: string;
  workspaceId: string;
  workspaceName: string;
  email: string;
  role: Role;
  /** `expired`: still pending when its time ran out. */
  status: InvitationStatus | 'expired';
  invitedBy: Actor;
  createdAt: string;
  expiresAt: string;
  respondedAt: string | null;
}

type InvitationWithWorkspace = WorkspaceInvitationRow & { workspace_name: string };

function invitations(db: Executor) {
  return db
    .selectFrom('workspace_invitations')
    .innerJoin('workspaces', 'workspaces.id', 'workspace_invitations.workspace_id')
    .selectAll('workspace_invitations')
    .select('workspaces.name as workspace_name');
}

function statusOf(row: WorkspaceInvitationRow, now: string): InvitationView['status'] {
  return row.status === 'pending' && row.expires_at <= now ? 'expired' : row.status;
}

function toView(row: InvitationWithWorkspace, now = nowIso()): InvitationView {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    workspaceName: row.workspace_name,
    email: row.email,
    role: row.role,
    status: statusOf(row, now),
    invitedBy: { type: row.invited_by_type, id: row.invited_by_id },
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    respondedAt: row.responded_at,
  };
}

async function invitationView(db: Executor, id: string): Promise<InvitationView> {
  const row = await invitations(db).where('workspace_invitations.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Invitation');
  return toView(row);
}

const alreadyMember = () => new AppError('ALREADY_MEMBER', 'This person is already a member of the workspace');
const concurrentInvite = () => new AppError('CONFLICT', 'This address was being invited at the same time; try again');

async function isMemberByEmail(trx: Transaction<Database>, workspaceId: string, email: string): Promise<boolean> {
  return (await membersQuery(trx, workspaceId).where('users.email', '=', email).executeTakeFirst()) !== undefined;
}

/**
 * Invites an address to the workspace with a role no higher than the inviter's. The answer is the same
 * whether or not an account uses the address, so inviting reveals nothing about who is registered.
 * Inviting an address again while its invitation is pending renews that invitation (role, expiry).
 */
export async function inviteMember(
  db: Db,
  access: WorkspaceAccess,
  emailInput: string,
  role: Role,
  ttlMs: number,
): Promise<InvitationView> {
  requireRoleWithin(access, role);
  const email = normaliseEmail(emailInput);
  try {
    return await db.transaction().execute(async (trx) => {
      await lockWorkspace(trx, access.workspaceId);
      // The inviter can list the members anyway: saying so reveals nothing new.
      if (await isMemberByEmail(trx, access.workspaceId, email)) throw alreadyMember();
      const now = nowIso();
      const pending = await trx
        .selectFrom('workspace_invitations')
        .select('id')
        .where('workspace_id', '=', access.workspaceId)
        .where('email', '=', email)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      const id = pending?.id ?? newId('invitation');
      const fields = {
        role,
        invited_by_type: access.actor.type,
        invited_by_id: access.actor.id,
        updated_at: now,
        expires_at: isoIn(ttlMs),
      };
      if (pending) await trx.updateTable('workspace_invitations').set(fields).where('id', '=', id).execute();
      else
        await trx
          .insertInto('workspace_invitations')
          .values({ id, workspace_id: access.workspaceId, email, status: 'pending', created_at: now, responded_at: null, ...fields })
          .execute();
      const view = await invitationView(trx, id);
      await recordEvent(trx, {
        workspaceId: access.workspaceId,
        type: 'member.invited',
        actor: access.actor,
        resourceType: 'member',
        resourceId: id,
        data: view,
      });
      return view;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw concurrentInvite();
    throw err;
  }
}

/** The workspace's invitations, newest first, whatever their status. */
export async function listInvitations(db: Db, workspaceId: string, page: PageRequest) {
  let query = invitations(db).where('workspace_invitations.workspace_id', '=', workspaceId);
  const after = idAfterCursor(page);
  if (after) query = query.where('workspace_invitations.id', '<', after);
  const fetch = (rowCount: number) => query.orderBy('workspace_invitations.id', 'desc').limit(rowCount).execute();
  const { items, nextCursor } = await fetchPage(page.limit, fetch, idCursorOf);
  const now = nowIso();
  return { items: items.map((row) => toView(row, now)), nextCursor };
}

/** The caller's invitations that can still be accepted. */
export async function invitationsFor(db: Db, user: AuthUser): Promise<InvitationView[]> {
  const now = nowIso();
  const rows = await invitations(db)
    .where('workspace_invitations.email', '=', user.email)
    .where('workspace_invitations.status', '=', 'pending')
    .where('workspace_invitations.expires_at', '>', now)
    .orderBy('workspace_invitations.id', 'desc')
    .execute();
  return rows.map((row) => toView(row, now));
}

const notPending = (view: InvitationView) =>
  new AppError('INVITATION_NOT_PENDING', `This invitation is ${view.status}: it can no longer be answered`, { status: view.status });

/**
 * Moves a pending, unexpired invitation to `status` with one guarded write: of concurrent answers (or
 * an answer racing a revocation) exactly one succeeds, the others see it is no longer pending.
 */
async function answer(trx: Transaction<Database>, invitation: WorkspaceInvitationRow, status: InvitationStatus): Promise<void> {
  const now = nowIso();
  const result = await trx
    .updateTable('workspace_invitations')
    .set({ status, responded_at: now, updated_at: now })
    .where('id', '=', invitation.id)
    .where('status', '=', 'pending')
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw notPending(await invitationView(trx, invitation.id));
}

/** An invitation addressed to this user; anyone else's answers 404, as a missing one does. */
async function addressedTo(trx: Transaction<Database>, user: AuthUser, id: string): Promise<WorkspaceInvitationRow> {
  const row = await trx
    .selectFrom('workspace_invitations')
    .selectAll()
    .where('id', '=', id)
    .where('email', '=', user.email)
    .executeTakeFirst();
  if (!row) throw notFound('Invitation');
  return row;
}

/** Joins the workspace with the invitation's role; `member.added` is recorded once, by the one acceptance that wins. */
export async function acceptInvitation(db: Db, user: AuthUser, id: string): Promise<MemberView> {
  try {
    return await db.transaction().execute(async (trx) => {
      const invitation = await addressedTo(trx, user, id);
      await answer(trx, invitation, 'accepted');
      const existing = await trx
        .selectFrom('workspace_members')
        .select('role')
        .where('workspace_id', '=', invitation.workspace_id)
        .where('user_id', '=', user.id)
        .executeTakeFirst();
      if (existing) throw alreadyMember();
      const now = nowIso();
      await trx
        .insertInto('workspace_members')
        .values({ workspace_id: invitation.workspace_id, user_id: user.id, role: invitation.role, created_at: now, updated_at: now })
        .execute();
      const member = await getMember(trx, invitation.workspace_id, user.id);
      const actor: Actor = { type: 'user', id: user.id };
      await recordEvent(trx, {
        workspaceId: invitation.workspace_id,
        type: 'member.added',
        actor,
        resourceType: 'member',
        resourceId: user.id,
        data: { ...member, invitationId: id },
      });
      return member;
    });
  } catch (err) {
    // Two acceptances meeting at the membership's primary key: the loser is told, not a 500.
    if (isUniqueViolation(err)) throw alreadyMember();
    throw err;
  }
}

export async function declineInvitation(db: Db, user: AuthUser, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const invitation = await addressedTo(trx, user, id);
    await answer(trx, invitation, 'declined');
    const view = await invitationView(trx, id);
    await recordEvent(trx, {
      workspaceId: invitation.workspace_id,
      type: 'member.invitation_declined',
      actor: { type: 'user', id: user.id },
      resourceType: 'member',
      resourceId: id,
      data: view,
    });
  });
}

/** Withdraws a pending invitation (members:write, and a role at least the one it offers). */
export async function revokeInvitation(db: Db, access: WorkspaceAccess, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const invitation = await trx
      .selectFrom('workspace_invitations')
      .selectAll()
      .where('id', '=', id)
      .where('workspace_id', '=', access.workspaceId)
      .executeTakeFirst();
    if (!invitation) throw notFound('Invitation');
    requireRoleWithin(access, invitation.role);
    const now = nowIso();
    const result = await trx
      .updateTable('workspace_invitations')
      .set({ status: 'revoked', responded_at: now, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw notPending(await invitationView(trx, id));
    const view = await invitationView(trx, id);
    await recordEvent(trx, {
      workspaceId: access.workspaceId,
      type: 'member.invitation_revoked',
      actor: access.actor,
      resourceType: 'member',
      resourceId: id,
      data: view,
    });
  });
}
