import type { Caller } from '../credentials/change-log.js';
import { heldPermissions } from '../authz/decide.js';
import { explainPermissions } from '../authz/me-permissions.js';
import { isPermission, PERMISSION_NAMES, type Permission } from '../authz/permissions.js';
import type { AuthUser, Principal } from '../authz/principal.js';
import { AGENT_PERMISSIONS, ROLE_PERMISSIONS } from '../authz/role-permissions.js';
import { isRole, ROLES, roleAtLeast, type Role } from '../authz/roles.js';
import type { TokenLimits } from '../credentials/limits.js';
import type { Db } from '../db/database.js';
import { AppError, notFound } from '../errors/app-error.js';
import { parsePermissionList, parseStringList } from '../personal-tokens/personal-token-view.js';
import { updatePersonalToken, type TokenOwner } from '../personal-tokens/personal-tokens.service.js';
import { updateWorkspaceToken } from '../workspace-tokens/workspace-tokens.service.js';
import type { WorkspaceTokenRow } from '../workspace-tokens/tables.js';
import { workspaceTokenPrincipal } from '../workspace-tokens/workspace-token-lookup.js';
import type { AgentRow } from '../agents/tables.js';
import type { UsageTokenKind } from './tables.js';
import type { TokenUseBuffer } from './use-buffer.js';

/** How many days a usage answer covers, today (UTC) included. */
const USAGE_DAYS = 30;

/** The token a usage answer is about: what it is granted, and the projects it is limited to (null: none). */
interface UsageSubject {
  kind: UsageTokenKind;
  id: string;
  granted: readonly Permission[];
  projectIds: readonly string[] | null;
}

/** What a token is granted, as it is stored: the `Grant` of a narrowing. */
interface Grant {
  permissions: Permission[] | null;
  projectIds: string[] | null;
  scope: Role | null;
}

interface Counted {
  /** permission → uses and last day. */
  permissions: Map<string, { uses: number; last: string }>;
  /** project id → uses ('' is not a project). */
  projects: Map<string, number>;
}

function sinceDay(now = Date.now()): string {
  return new Date(now - (USAGE_DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
}

/** The uses counted for a token since `since`: the stored ones and this process's not yet written. */
async function countedUses(db: Db, buffer: TokenUseBuffer, kind: UsageTokenKind, id: string, since: string): Promise<Counted> {
  const stored = await db
    .selectFrom('token_permission_uses')
    .select(['permission', 'project_id'])
    .select((eb) => [eb.fn.sum<number>('uses').as('uses'), eb.fn.max('day').as('last_day')])
    .where('token_kind', '=', kind)
    .where('token_id', '=', id)
    .where('day', '>=', since)
    .groupBy(['permission', 'project_id'])
    .execute();
  const rows = stored.map((row) => ({ permission: row.permission, projectId: row.project_id, uses: Number(row.uses), day: row.last_day }));
  for (const use of buffer.peek(kind, id)) if (use.day >= since) rows.push({ ...use });
  const counted: Counted = { permissions: new Map(), projects: new Map() };
  for (const { permission, projectId, uses, day } of rows) {
    const seen = counted.permissions.get(permission);
    if (seen) {
      seen.uses += uses;
      if (day > seen.last) seen.last = day;
    } else {
      counted.permissions.set(permission, { uses, last: day });
    }
    if (projectId !== '') counted.projects.set(projectId, (counted.projects.get(projectId) ?? 0) + uses);
  }
  return counted;
}

/** The usage answer (GET …/usage): every granted permission with its uses in the last 30 days, and the projects. */
export async function tokenUsage(db: Db, buffer: TokenUseBuffer, subject: UsageSubject) {
  const since = sinceDay();
  const counted = await countedUses(db, buffer, subject.kind, subject.id, since);
  const permissions = subject.granted.map((permission) => {
    const seen = counted.permissions.get(permission);
    return { permission, uses: seen?.uses ?? 0, lastUsedOn: seen?.last ?? null };
  });
  const projects = [...counted.projects]
    .map(([projectId, uses]) => ({ projectId, uses }))
    .sort((a, b) => b.uses - a.uses || a.projectId.localeCompare(b.projectId));
  return {
    days: USAGE_DAYS,
    since,
    permissions,
    unusedPermissions: permissions.filter((p) => p.uses === 0).map((p) => p.permission),
    projects,
    unusedProjectIds: (subject.projectIds ?? []).filter((id) => !counted.projects.has(id)),
  };
}

const inCatalogueOrder = (set: ReadonlySet<string>): Permission[] => PERMISSION_NAMES.filter((p) => set.has(p));

function nothingUsed(): AppError {
  return new AppError(
    'CONFLICT',
    `This token was not used in the last ${USAGE_DAYS} days: there is nothing to narrow it to. Revoke it instead`,
  );
}

// ---- personal tokens ----

async function personalRow(db: Db, userId: string, tokenId: string) {
  const row = await db
    .selectFrom('personal_access_tokens')
    .selectAll()
    .where('id', '=', tokenId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!row) throw notFound('Token');
  return row;
}

/** One of the caller's personal tokens: granted what it may do, in any of the owner's workspaces, as things are now. */
export async function personalSubject(db: Db, userId: string, tokenId: string) {
  const row = await personalRow(db, userId, tokenId);
  const grant = { permissions: parsePermissionList(row.permissions), projectIds: parseStringList(row.project_ids) };
  const roles = await db.selectFrom('workspace_members').select('role').where('user_id', '=', userId).execute();
  const granted = new Set<Permission>();
  const basis = {
    kind: 'personal_token',
    tokenPermissions: grant.permissions,
    plan: '',
    projectIds: grant.projectIds && new Set(grant.projectIds),
  } as const;
  for (const { role } of roles) if (isRole(role)) for (const p of heldPermissions({ ...basis, role })) granted.add(p);
  const subject: UsageSubject = { kind: 'personal', id: row.id, granted: inCatalogueOrder(granted), projectIds: grant.projectIds };
  return { subject, grant };
}

/**
 * Narrows a personal token to the permissions (and, when it is limited to some projects, the projects) it used in the
 * last 30 days; applying is the PATCH that would do it (same checks, same audit entry).
 */
export async function narrowPersonalToken(
  db: Db,
  buffer: TokenUseBuffer,
  limits: TokenLimits,
  owner: TokenOwner,
  id: string,
  dryRun: boolean,
) {
  const { subject, grant } = await personalSubject(db, owner.userId, id);
  const counted = await countedUses(db, buffer, 'personal', id, sinceDay());
  const used = new Set([...counted.permissions.keys()].filter((p) => isPermission(p) && (grant.permissions?.includes(p) ?? true)));
  if (used.size === 0) throw nothingUsed();
  const permissions = inCatalogueOrder(used);
  const beforePermissions = grant.permissions ?? [...subject.granted];
  const usedProjects = grant.projectIds?.filter((p) => counted.projects.has(p)) ?? [];
  // A project list no use touched is kept: an empty list is no grant (revoke the token instead).
  const projectIds = grant.projectIds !== null && usedProjects.length > 0 ? usedProjects : grant.projectIds;
  const changes: { permissions?: string[]; projectIds?: string[] } = {};
  if (grant.permissions === null || permissions.length !== grant.permissions.length) changes.permissions = permissions;
  if (projectIds !== null && projectIds.length !== grant.projectIds?.length) changes.projectIds = projectIds;
  const applied = !dryRun && Object.keys(changes).length > 0;
  if (applied) await updatePersonalToken(db, limits, owner, id, changes);
  return {
    applied,
    before: { permissions: grant.permissions, projectIds: grant.projectIds, scope: null } satisfies Grant,
    after: { permissions: changes.permissions ? permissions : grant.permissions, projectIds, scope: null } satisfies Grant,
    removedPermissions: changes.permissions ? beforePermissions.filter((p) => !used.has(p)) : [],
    removedProjectIds: (grant.projectIds ?? []).filter((p) => !projectIds?.includes(p)),
  };
}

/** The personal token as the principal it grants, explained in one of the owner's workspaces (as GET /me/permissions). */
export async function explainPersonalToken(db: Db, owner: AuthUser, tokenId: string, workspaceId: string, projectId?: string) {
  const row = await personalRow(db, owner.id, tokenId);
  const principal: Principal = {
    kind: 'personal_token',
    user: owner,
    token: {
      id: row.id,
      name: row.name,
      permissions: parsePermissionList(row.permissions),
      projectIds: parseStringList(row.project_ids),
      rateLimitPerMinute: row.rate_limit_per_minute,
      expiresAt: row.expires_at,
    },
  };
  return explainPermissions(db, principal, workspaceId, projectId);
}

// ---- workspace tokens ----

export async function workspaceTokenRow(db: Db, workspaceId: string, tokenId: string): Promise<WorkspaceTokenRow> {
  const row = await db
    .selectFrom('workspace_access_tokens')
    .selectAll()
    .where('id', '=', tokenId)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  if (!row) throw notFound('Access token');
  return row;
}

export function workspaceTokenSubject(row: WorkspaceTokenRow): UsageSubject {
  return { kind: 'workspace', id: row.id, granted: inCatalogueOrder(ROLE_PERMISSIONS[row.scope]), projectIds: null };
}

/** The narrowest role holding every permission in `used`. */
function narrowestRole(used: ReadonlySet<string>): Role {
  return ROLES.find((role) => [...used].every((p) => isPermission(p) && ROLE_PERMISSIONS[role].has(p))) ?? 'owner';
}

/**
 * Narrows a workspace token's scope to the narrowest role holding every permission it used in the last 30 days (a
 * workspace token has no project list); applying is the PATCH of its scope (same checks, event and audit entry).
 */
export async function narrowWorkspaceToken(
  db: Db,
  buffer: TokenUseBuffer,
  limits: TokenLimits,
  caller: Caller,
  tokenId: string,
  dryRun: boolean,
) {
  const row = await workspaceTokenRow(db, caller.access.workspaceId, tokenId);
  const counted = await countedUses(db, buffer, 'workspace', row.id, sinceDay());
  if (counted.permissions.size === 0) throw nothingUsed();
  const wanted = narrowestRole(new Set(counted.permissions.keys()));
  const scope = roleAtLeast(wanted, row.scope) ? row.scope : wanted;
  const applied = !dryRun && scope !== row.scope;
  if (applied) await updateWorkspaceToken(db, caller, tokenId, { scope }, limits);
  return {
    applied,
    before: { permissions: null, projectIds: null, scope: row.scope } satisfies Grant,
    after: { permissions: null, projectIds: null, scope } satisfies Grant,
    removedPermissions: inCatalogueOrder(ROLE_PERMISSIONS[row.scope]).filter((p) => !ROLE_PERMISSIONS[scope].has(p)),
    removedProjectIds: [],
  };
}

export function explainWorkspaceToken(db: Db, row: WorkspaceTokenRow, projectId?: string) {
  const principal = workspaceTokenPrincipal(row);
  return explainPermissions(db, principal, row.workspace_id, projectId);
}

// ---- agents ----

export function agentSubject(agent: AgentRow): UsageSubject {
  return { kind: 'agent', id: agent.id, granted: inCatalogueOrder(AGENT_PERMISSIONS), projectIds: null };
}

/** An agent holds the fixed agent matrix and reaches every project: nothing of it can be narrowed, and this says so. */
export function narrowAgent() {
  const grant: Grant = { permissions: null, projectIds: null, scope: null };
  return { applied: false, before: grant, after: grant, removedPermissions: [], removedProjectIds: [] };
}

export function explainAgent(db: Db, agent: AgentRow, projectId?: string) {
  const principal: Principal = {
    kind: 'agent',
    agent: { id: agent.id, name: agent.name, workspaceId: agent.workspace_id, tokenId: '', expiresAt: null },
  };
  return explainPermissions(db, principal, agent.workspace_id, projectId);
}
