import type { Role } from '../authz/roles.js';
import type { Plan } from '../config/config.js';
import type { Db } from '../db/database.js';
import type { WorkspaceRow } from './tables.js';
import type { Actor, Principal } from '../authz/principal.js';
import { recordEvent } from '../events/events.service.js';
import { AppError, notFound } from '../errors/app-error.js';
import { requirePermission, workspaceAccess } from '../authz/authorize.js';
import { newId } from '../lib/ids.js';
import { nowIso } from '../lib/time.js';

export interface WorkspaceView {
  id: string;
  name: string;
  plan: Plan;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** The caller's role here (a workspace token's scope); null for agents and instance admins. */
  role: Role | null;
}

export function toWorkspaceView(row: WorkspaceRow, role: Role | null): WorkspaceView {
  return {
    id: row.id,
    name: row.name,
    plan: row.plan,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    role,
  };
}

/** The creator becomes the first Owner, in the same transaction. */
export async function createWorkspace(db: Db, userId: string, name: string, plan: Plan): Promise<WorkspaceRow> {
  const now = nowIso();
  const row: WorkspaceRow = { id: newId('workspace'), name: name.trim(), plan, created_by: userId, created_at: now, updated_at: now };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('workspaces').values(row).execute();
    await trx
      .insertInto('workspace_members')
      .values({ workspace_id: row.id, user_id: userId, role: 'owner', created_at: now, updated_at: now })
      .execute();
    await recordEvent(trx, {
      workspaceId: row.id,
      type: 'workspace.created',
      actor: { type: 'user', id: userId },
      resourceType: 'workspace',
      resourceId: row.id,
      data: toWorkspaceView(row, null),
    });
  });
  return row;
}

export async function getWorkspace(db: Db, id: string): Promise<WorkspaceRow> {
  const row = await db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Workspace');
  return row;
}

async function membershipsOf(db: Db, userId: string): Promise<WorkspaceView[]> {
  const rows = await db
    .selectFrom('workspaces')
    .innerJoin('workspace_members', 'workspace_members.workspace_id', 'workspaces.id')
    .selectAll('workspaces')
    .select('workspace_members.role')
    .where('workspace_members.user_id', '=', userId)
    .orderBy('workspaces.created_at')
    .orderBy('workspaces.id')
    .execute();
  return rows.map((row) => toWorkspaceView(row, row.role));
}

/** Whether a token may see this workspace: the same checks as reading it directly. */
async function tokenMaySee(db: Db, principal: Principal, workspaceId: string): Promise<boolean> {
  try {
    requirePermission(await workspaceAccess(db, principal, workspaceId), 'workspace:read');
    return true;
  } catch (err) {
    if (err instanceof AppError) return false;
    throw err;
  }
}

/**
 * The workspaces a principal can reach: a session sees every membership; a token only those it may
 * read (its plan and permissions allow), and a workspace-bound token or agent is refused as it would
 * be on `GET /workspaces/{id}`.
 */
export async function listWorkspacesFor(db: Db, principal: Principal): Promise<WorkspaceView[]> {
  switch (principal.kind) {
    case 'session':
      return membershipsOf(db, principal.user.id);
    case 'personal_token': {
      const all = await membershipsOf(db, principal.user.id);
      const visible = await Promise.all(all.map((w) => tokenMaySee(db, principal, w.id)));
      return all.filter((_, i) => visible[i]);
    }
    case 'workspace_token':
    case 'agent': {
      const id = principal.kind === 'agent' ? principal.agent.workspaceId : principal.token.workspaceId;
      const access = await workspaceAccess(db, principal, id);
      requirePermission(access, 'workspace:read');
      return [toWorkspaceView(await getWorkspace(db, id), access.role)];
    }
  }
}

export async function updateWorkspace(db: Db, id: string, actor: Actor, changes: { name?: string; plan?: Plan }): Promise<WorkspaceRow> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('workspaces')
      .set({ ...changes, updated_at: nowIso() })
      .where('id', '=', id)
      .execute();
    const row = await trx.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    await recordEvent(trx, {
      workspaceId: id,
      type: 'workspace.updated',
      actor,
      resourceType: 'workspace',
      resourceId: id,
      data: toWorkspaceView(row, null),
    });
  });
  return getWorkspace(db, id);
}

export async function deleteWorkspace(db: Db, id: string): Promise<void> {
  await db.deleteFrom('workspaces').where('id', '=', id).execute();
}
