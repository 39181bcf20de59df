import type { Db } from '../db/database.js';
import { cachedRead } from '../db/read-cache.js';
import { requireTokenPlan } from '../credentials/plan.js';
import { AppError } from '../errors/app-error.js';
import { PERMISSIONS, type Permission, type PermissionSpec } from './permissions.js';
import { actorOf, type Actor, type AuthUser, type PersonalTokenGrant, type Principal } from './principal.js';
import { AGENT_PERMISSIONS, ROLE_PERMISSIONS } from './role-permissions.js';
import { isRole, roleAtLeast, type Role } from './roles.js';

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

function intersect(a: ReadonlySet<Permission>, b: readonly Permission[] | null): ReadonlySet<Permission> {
  return b === null ? a : new Set(b.filter((p) => a.has(p)));
}

/**
 * What a personal token may do where its owner holds `role`: the token's permissions (all when unset)
 * within the role's, less the workspace-wide ones when the token is limited to some projects.
 */
export function personalTokenPermissions(role: Role, token: PersonalTokenGrant): Permission[] {
  const held = [...intersect(ROLE_PERMISSIONS[role], token.permissions ?? null)];
  return token.projectIds ? held.filter((p) => (PERMISSIONS[p] as PermissionSpec).workspaceWide !== true) : held;
}

/**
 * Resolves a principal's access to a workspace. Throws 404 when the principal has no standing there at
 * all (so outsiders learn nothing), and 403 PLAN_UPGRADE_REQUIRED when a token touches a free workspace.
 */
export async function workspaceAccess(db: Db, principal: Principal, workspaceId: string): Promise<WorkspaceAccess> {
  const user = principal.kind === 'session' || principal.kind === 'personal_token' ? principal.user.id : '';
  const [workspace] = await workspaceWithRole(db, workspaceId, user);
  if (!workspace) throw NO_ACCESS();

  // Each branch settles the three values; one object of one shape is built after (this runs on every
  // workspace-scoped request).
  let role: Role | null;
  let permissions: ReadonlySet<Permission>;
  let projectIds: ReadonlySet<string> | null = null;
  switch (principal.kind) {
    case 'session':
    case 'personal_token': {
      role = workspace.role !== null && isRole(workspace.role) ? workspace.role : null;
      if (!role) throw NO_ACCESS();
      const token = principal.kind === 'personal_token' ? principal.token : null;
      permissions = intersect(ROLE_PERMISSIONS[role], token?.permissions ?? null);
      if (token?.projectIds) projectIds = new Set(token.projectIds);
      break;
    }
    case 'workspace_token':
      if (principal.token.workspaceId !== workspaceId) throw NO_ACCESS();
      role = principal.token.scope;
      permissions = ROLE_PERMISSIONS[principal.token.scope];
      break;
    case 'agent':
      if (principal.agent.workspaceId !== workspaceId) throw NO_ACCESS();
      role = null;
      permissions = AGENT_PERMISSIONS;
      break;
  }
  if (principal.kind !== 'session') requireTokenPlan(workspace.plan);
  return { workspaceId, plan: workspace.plan, role, permissions, projectIds, actor: actorOf(principal), principal };
}

/** Throws 403 naming the missing permission unless the access holds it. */
export function requirePermission(access: WorkspaceAccess, permission: Permission): void {
  const spec: PermissionSpec = PERMISSIONS[permission];
  if (access.projectIds !== null && spec.workspaceWide) {
    throw new AppError('PROJECT_OUT_OF_SCOPE', `This token is limited to some projects, so it cannot ${spec.action}`, {
      missingPermission: permission,
    });
  }
  if (access.permissions.has(permission)) return;
  if (access.principal.kind === 'agent') {
    throw new AppError('AGENT_NOT_ALLOWED', `Agent tokens cannot ${PERMISSIONS[permission].action}`, {
      missingPermission: permission,
    });
  }
  const who = access.principal.kind === 'session' ? 'Your role' : 'This token';
  throw new AppError('PERMISSION_DENIED', `${who} does not grant ${permission}`, { missingPermission: permission });
}

/** Whether the access holds a permission that widens an action rather than gating it (no 403: the action decides). */
export function holdsPermission(access: WorkspaceAccess, permission: Permission): boolean {
  return access.permissions.has(permission);
}

/** Throws 403 unless a project-scoped token covers this project. */
export function requireProjectInScope(access: WorkspaceAccess, projectId: string): void {
  if (access.projectIds && !access.projectIds.has(projectId)) {
    throw new AppError('PROJECT_OUT_OF_SCOPE', 'This token is limited to other projects', { projectId });
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
  requirePermission(access, permission);
  if (projectId !== undefined) requireProjectInScope(access, projectId);
  return access;
}

/** Nobody grants a role above their own; workspace tokens likewise cannot mint above their scope. */
export function requireRoleWithin(access: WorkspaceAccess, wanted: Role): void {
  if (!access.role || !roleAtLeast(access.role, wanted)) {
    throw new AppError('ROLE_ESCALATION', `You cannot grant the ${wanted} role: it is above your own`, { role: wanted });
  }
}

/**
 * A credential never mints one stronger than itself: creating an agent (whose token holds `granted`)
 * needs every one of those permissions, so a narrow personal token cannot launder itself into a wider one.
 */
export function requireCovers(access: WorkspaceAccess, granted: Iterable<Permission>, action: string): void {
  const missing = [...granted].filter((p) => !access.permissions.has(p));
  if (missing.length > 0) {
    throw new AppError('PERMISSION_DENIED', `To ${action} you need every permission it would grant; missing: ${missing.join(', ')}`, {
      missingPermissions: missing,
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
  throw new AppError('ADMIN_ONLY', 'Only an instance admin can do this');
}
