import { planAllowsTokens } from '../credentials/plan.js';
import { PERMISSION_NAMES, PERMISSIONS, type Permission, type PermissionSpec } from './permissions.js';
import type { DelegationScope, Principal, PrincipalKind } from './principal.js';
import { AGENT_PERMISSIONS, ROLE_PERMISSIONS } from './role-permissions.js';
import type { Role } from './roles.js';

/**
 * Every layer a 403 may name as `refusedBy`. `ip_allowlist` is decided when a token is resolved
 * (credentials/resolver.ts); the others are decided here.
 */
export const REFUSAL_LAYERS = [
  'role',
  'token_permissions',
  'project_restriction',
  'plan',
  'ip_allowlist',
  'delegation_scope',
  'agent_matrix',
] as const;

/** The layers `decide` consults, in the order an explanation lists them. */
export const DECIDED_LAYERS = ['plan', 'project_restriction', 'role', 'token_permissions', 'delegation_scope', 'agent_matrix'] as const;
export type DecidedLayer = (typeof DECIDED_LAYERS)[number];

/** What a decision needs to know of a caller's standing in one workspace, all of it already read: deciding is pure. */
export interface AccessBasis {
  kind: PrincipalKind;
  /** The member's role or a workspace token's scope; null for agents, or where no workspace is known (MCP's tool list). */
  role: Role | null;
  /** A personal token's own permissions; null: not narrowed (or not a personal token). */
  tokenPermissions: readonly Permission[] | null;
  plan: string;
  /** null: every project; otherwise only these (a project-scoped personal token). */
  projectIds: ReadonlySet<string> | null;
  /** A delegated token's narrowing of its root (its permissions, projects and task); null or absent: none. */
  delegation?: Pick<DelegationScope, 'permissions' | 'projectIds' | 'taskId'> | null;
}

/** The basis of an access as authorize() holds it. */
export function basisOf(access: {
  principal: Principal;
  role: Role | null;
  plan: string;
  projectIds: ReadonlySet<string> | null;
}): AccessBasis {
  const { principal } = access;
  return {
    kind: principal.kind,
    // A workspace token's scope is its role in all but name.
    role: principal.kind === 'workspace_token' ? principal.token.scope : access.role,
    tokenPermissions: principal.kind === 'personal_token' ? principal.token.permissions : null,
    plan: access.plan,
    projectIds: access.projectIds,
    delegation: principal.kind === 'session' ? null : (principal.delegation ?? null),
  };
}

/** Sessions are free of the plan: API tokens of every kind are a paid feature. */
function planApplies(basis: AccessBasis): boolean {
  return basis.kind !== 'session';
}

function isWorkspaceWide(permission: Permission): boolean {
  return (PERMISSIONS[permission] as PermissionSpec).workspaceWide === true;
}

/** Each layer: whether it limits this caller at all, and whether it lets one permission (in one project) through. */
const LAYERS: Record<DecidedLayer, { applies(basis: AccessBasis): boolean; allows(basis: AccessBasis, permission: Permission): boolean }> =
  {
    plan: { applies: planApplies, allows: (basis) => !planApplies(basis) || planAllowsTokens(basis.plan) },
    // A project-scoped token never acts on the whole workspace.
    project_restriction: {
      applies: (basis) => basis.projectIds !== null,
      allows: (basis, permission) => basis.projectIds === null || !isWorkspaceWide(permission),
    },
    role: {
      applies: (basis) => basis.role !== null,
      allows: (basis, permission) => basis.role === null || ROLE_PERMISSIONS[basis.role].has(permission),
    },
    token_permissions: {
      applies: (basis) => basis.tokenPermissions !== null,
      allows: (basis, permission) => basis.tokenPermissions?.includes(permission) ?? true,
    },
    // A delegated token holds only what it was given; one limited to projects or a task never acts on the whole workspace.
    delegation_scope: {
      applies: (basis) => (basis.delegation ?? null) !== null,
      allows: (basis, permission) => {
        const scope = basis.delegation;
        if (!scope) return true;
        if (scope.permissions !== null && !scope.permissions.includes(permission)) return false;
        return (scope.projectIds === null && scope.taskId === null) || !isWorkspaceWide(permission);
      },
    },
    agent_matrix: {
      applies: (basis) => basis.kind === 'agent',
      allows: (basis, permission) => basis.kind !== 'agent' || AGENT_PERMISSIONS.has(permission),
    },
  };

/** Whether a project-scoped token's projects leave out this project. */
export function outsideProjects(basis: AccessBasis, projectId: string | undefined): boolean {
  return projectId !== undefined && basis.projectIds !== null && !basis.projectIds.has(projectId);
}

/** Whether a delegated token's projects leave out this project. */
export function outsideDelegation(basis: AccessBasis, projectId: string | undefined): boolean {
  const projectIds = basis.delegation?.projectIds ?? null;
  return projectId !== undefined && projectIds !== null && !projectIds.includes(projectId);
}

/**
 * The one decision behind `authorize()` and `GET /me/permissions`: null when the caller holds the permission
 * (in `projectId`, when given), else the first layer that removes it. The order is authorize's: the plan, a
 * project-scoped token's workspace-wide limit, the grant (role, token permissions, agent matrix), then the project.
 */
export function decide(basis: AccessBasis, permission: Permission, projectId?: string): DecidedLayer | null {
  for (const layer of DECIDED_LAYERS) {
    if (!LAYERS[layer].allows(basis, permission)) return layer;
  }
  if (outsideProjects(basis, projectId)) return 'project_restriction';
  return outsideDelegation(basis, projectId) ? 'delegation_scope' : null;
}

/** Whether the plan refuses this caller whatever it asks. */
export function planRefuses(basis: AccessBasis): boolean {
  return !LAYERS.plan.allows(basis, 'workspace:read');
}

const GRANT_LAYERS = ['role', 'token_permissions', 'delegation_scope', 'agent_matrix'] as const;

function passing(basis: AccessBasis, layers: readonly DecidedLayer[]): Permission[] {
  return (basis.tokenPermissions ?? PERMISSION_NAMES).filter((p) => layers.every((layer) => LAYERS[layer].allows(basis, p)));
}

/** What the grant comes to, whatever the plan and projects: the intersection of role, token permissions, delegation and agent matrix. */
export function grantedPermissions(basis: AccessBasis): Permission[] {
  return passing(basis, GRANT_LAYERS);
}

/** The grant less what a project-scoped token may not do on the whole workspace (the plan aside). */
export function heldPermissions(basis: AccessBasis): Permission[] {
  return passing(basis, ['project_restriction', ...GRANT_LAYERS]);
}

/** One layer as an explanation lists it: whether it applies to the caller, and what it lets through. */
export function layerAllows(basis: AccessBasis, layer: DecidedLayer, permissions: readonly Permission[]) {
  return { applies: LAYERS[layer].applies(basis), allows: permissions.filter((p) => LAYERS[layer].allows(basis, p)) };
}
