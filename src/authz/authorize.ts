import type { Db } from '../db/database.js';
import { cachedRead } from '../db/read-cache.js';
import { planRefusal } from '../credentials/plan.js';
import { AppError } from '../errors/app-error.js';
import { PERMISSIONS, type Permission, type PermissionSpec } from './permissions.js';
import { actorOf, type Actor, type AuthUser, type PersonalTokenGrant, type Principal } from './principal.js';
import {
  basisOf,
  decide,
  grantedPermissions,
  heldPermissions,
  outsideDelegation,
  outsideProjects,
  planRefuses,
  type DecidedLayer,
} from './decide.js';
import { isRole, roleAtLeast, type Role } from './roles.js';
import { countTokenUse } from '../token-usage/use-buffer.js';

/** What a principal may do in one workspace, decided from the database as it is now. */
export interface WorkspaceAccess {
  workspaceId: string;
  plan: string;
  /** The member's role (or a workspace token's scope); null for agents. */
  role: Role | null;
  permissions: ReadonlySet<Permission>;
  /** null: every project; otherwise only these (a project-scoped personal token). */
  projectIds: ReadonlySet<string> | null;
  actor: Actor;
  principal: Principal;
}

const NO_ACCESS = () => new AppError('NOT_FOUND', 'Workspace not found');

// The workspace and the caller's membership in one query: this runs on every workspace-scoped request,
// so it is a cached point read (ADR 0001).
const workspaceWithRole = cachedRead((db: Db, workspaceId: string, userId: string) =>
  db
    .selectFrom('workspaces')
    .leftJoin('workspace_members', (join) =>
      join.onRef('workspace_members.workspace_id', '=', 'workspaces.id').on('workspace_members.user_id', '=', userId),
    )
    .select(['workspaces.id', 'workspaces.plan', 'workspace_members.role'])
    .where('workspaces.id', '=', workspaceId),
);

/**
 * What a personal token may do where its owner holds `role`: the token's permissions (all when unset)
 * within the role's, less the workspace-wide ones when the token is limited to some projects.
 */
export function personalTokenPermissions(role: Role, token: PersonalTokenGrant): Permission[] {
  const projectIds = token.projectIds ? new Set(token.projectIds) : null;
  return heldPermissions({ kind: 'personal_token', role, tokenPermissions: token.permissions, plan: '', projectIds });
}

/** A caller's standing in a workspace, before the plan: everything `decide` needs. */
export interface WorkspaceStanding {
  workspaceId: string;
  plan: string;
  role: Role | null;
  projectIds: ReadonlySet<string> | null;
  principal: Principal;
}

/** Reads the caller's standing in a workspace; 404 when it has none at all (so outsiders learn nothing). */
export async function workspaceStanding(db: Db, principal: Principal, workspaceId: string): Promise<WorkspaceStanding> {
  const user = principal.kind === 'session' || principal.kind === 'personal_token' ? principal.user.id : '';
  const [workspace] = await workspaceWithRole(db, workspaceId, user);
  if (!workspace) throw NO_ACCESS();

  let role: Role | null;
  let projectIds: ReadonlySet<string> | null = null;
  switch (principal.kind) {
    case 'session':
    case 'personal_token': {
      role = workspace.role !== null && isRole(workspace.role) ? workspace.role : null;
      if (!role) throw NO_ACCESS();
      if (principal.kind === 'personal_token' && principal.token.projectIds) projectIds = new Set(principal.token.projectIds);
      break;
    }
    case 'workspace_token':
      if (principal.token.workspaceId !== workspaceId) throw NO_ACCESS();
      role = principal.token.scope;
      break;
    case 'agent':
      if (principal.agent.workspaceId !== workspaceId) throw NO_ACCESS();
      role = null;
      break;
  }
  return { workspaceId, plan: workspace.plan, role, projectIds, principal };
}

/**
 * Resolves a principal's access to a workspace. Throws 404 when the principal has no standing there at
 * all (so outsiders learn nothing), and 403 PLAN_UPGRADE_REQUIRED when a token touches a free workspace.
 */
export async function workspaceAccess(db: Db, principal: Principal, workspaceId: string): Promise<WorkspaceAccess> {
  const standing = await workspaceStanding(db, principal, workspaceId);
  const basis = basisOf(standing);
  if (planRefuses(basis)) throw planRefusal(standing.plan);
  const { plan, role, projectIds } = standing;
  return { workspaceId, plan, role, permissions: new Set(grantedPermissions(basis)), projectIds, actor: actorOf(principal), principal };
}

/** The 403 for a permission a layer removes, naming the layer and the permission. */
function refusal(access: WorkspaceAccess, permission: Permission, layer: DecidedLayer, projectId?: string): AppError {
  const details = { missingPermission: permission, refusedBy: layer };
  const spec: PermissionSpec = PERMISSIONS[permission];
  switch (layer) {
    case 'plan':
      return planRefusal(access.plan);
    case 'project_restriction':
      return access.projectIds !== null && spec.workspaceWide
        ? new AppError('PROJECT_OUT_OF_SCOPE', `This token is limited to some projects, so it cannot ${spec.action}`, details)
        : new AppError('PROJECT_OUT_OF_SCOPE', 'This token is limited to other projects', { ...details, projectId });
    case 'agent_matrix':
      return new AppError('AGENT_NOT_ALLOWED', `Agent tokens cannot ${spec.action}`, details);
    case 'token_permissions':
      return new AppError('PERMISSION_DENIED', `This token does not grant ${permission}`, details);
    case 'delegation_scope':
      return new AppError('DELEGATION_SCOPE', `This delegated token's scope does not reach ${permission} here`, { ...details, projectId });
    case 'role': {
      const { principal, role } = access;
      const message =
        principal.kind === 'workspace_token'
          ? `This token's scope (${principal.token.scope}) does not grant ${permission}`
          : `Your role (${role}) does not grant ${permission}${principal.kind === 'personal_token' ? ', so no token of yours does' : ''}`;
      return new AppError('PERMISSION_DENIED', message, details);
    }
  }
}

/** Throws 403 naming the missing permission, and the layer that removes it, unless the access holds it (in `projectId`). */
export function requirePermission(access: WorkspaceAccess, permission: Permission, projectId?: string): void {
  const layer = decide(basisOf(access), permission, projectId);
  if (layer !== null) throw refusal(access, permission, layer, projectId);
}

/** Whether the access holds a permission that widens an action rather than gating it (no 403: the action decides). */
export function holdsPermission(access: WorkspaceAccess, permission: Permission): boolean {
  return access.permissions.has(permission);
}

/** Throws 403 unless a project-scoped token covers this project. */
export function requireProjectInScope(access: WorkspaceAccess, projectId: string): void {
  if (outsideProjects(basisOf(access), projectId)) {
    throw new AppError('PROJECT_OUT_OF_SCOPE', 'This token is limited to other projects', { projectId, refusedBy: 'project_restriction' });
  }
  if (outsideDelegation(basisOf(access), projectId)) {
    const details = { projectId, refusedBy: 'delegation_scope' };
    throw new AppError('DELEGATION_SCOPE', 'This delegated token is limited to other projects', details);
  }
}

/** The usual check in one call: access to the workspace, the permission, and the project scope. */
export async function authorize(
  db: Db,
  principal: Principal,
  workspaceId: string,
  permission: Permission,
  projectId?: string,
): Promise<WorkspaceAccess> {
  const access = await workspaceAccess(db, principal, workspaceId);
  requirePermission(access, permission, projectId);
  // Least privilege, measured: a token's use of the permission is counted in memory, never written here.
  countTokenUse(db, principal, permission, projectId);
  return access;
}

/** Nobody grants a role above their own; workspace tokens likewise cannot mint above their scope. */
export function requireRoleWithin(access: WorkspaceAccess, wanted: Role): void {
  if (!access.role || !roleAtLeast(access.role, wanted)) {
    throw new AppError('ROLE_ESCALATION', `You cannot grant the ${wanted} role: it is above your own`, {
      role: wanted,
      refusedBy: 'role',
    });
  }
}

/**
 * A credential never mints one stronger than itself: creating an agent (whose token holds `granted`)
 * needs every one of those permissions, so a narrow personal token cannot launder itself into a wider one.
 */
export function requireCovers(access: WorkspaceAccess, granted: Iterable<Permission>, action: string): void {
  const missing = [...granted].filter((p) => !access.permissions.has(p));
  const [first] = missing;
  if (first !== undefined) {
    throw new AppError('PERMISSION_DENIED', `To ${action} you need every permission it would grant; missing: ${missing.join(', ')}`, {
      missingPermissions: missing,
      missingPermission: first,
      refusedBy: decide(basisOf(access), first) ?? 'role',
    });
  }
}

/** Instance administration happens in a signed-in admin's session only; no token ever carries it. */
export function isInstanceAdmin(principal: Principal | null): boolean {
  return principal?.kind === 'session' && principal.user.isAdmin;
}

/** The signed-in instance admin, or 403 ADMIN_ONLY. */
export function requireInstanceAdmin(principal: Principal | null): AuthUser {
  if (principal?.kind === 'session' && principal.user.isAdmin) return principal.user;
  throw new AppError('ADMIN_ONLY', 'Only an instance admin can do this', { refusedBy: 'role' });
}

/**
 * Who oversees every token that reaches a workspace (the token inventory): its owners (`tokens:inventory`) and
 * instance admins, members or not, by session. Outsiders get the 404 a missing workspace gets; members below
 * owner 403 naming `tokens:inventory`. A non-member admin's access holds no permission: it only names who acted.
 */
export async function tokenOversight(db: Db, principal: Principal, workspaceId: string): Promise<WorkspaceAccess> {
  if (!isInstanceAdmin(principal) || principal.kind !== 'session') return authorize(db, principal, workspaceId, 'tokens:inventory');
  const [workspace] = await workspaceWithRole(db, workspaceId, principal.user.id);
  if (!workspace) throw NO_ACCESS();
  if (workspace.role !== null) return workspaceAccess(db, principal, workspaceId);
  return { workspaceId, plan: workspace.plan, role: null, permissions: new Set(), projectIds: null, actor: actorOf(principal), principal };
}
