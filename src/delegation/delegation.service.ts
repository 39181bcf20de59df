import type { Transaction } from 'kysely';
import { recordAudit } from '../audit/audit.service.js';
import type { UsageTracker } from '../auth/usage-tracker.js';
import { authorizeById } from '../authz/authorize-by-id.js';
import { authorize, requirePermission, workspaceAccess } from '../authz/authorize.js';
import type { Permission } from '../authz/permissions.js';
import { actorOf, credentialExpiry, type Actor, type Principal } from '../authz/principal.js';
import { latestUse } from '../credentials/last-use.js';
import { displayPrefix, generateToken, hashToken } from '../credentials/token-format.js';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { AppError, notFound } from '../errors/app-error.js';
import { invalidField } from '../errors/validation.js';
import { newId } from '../lib/ids.js';
import { nowIso } from '../lib/time.js';
import { permissionList } from '../personal-tokens/personal-token-input.js';
import { parsePermissionList, parseStringList } from '../personal-tokens/personal-token-view.js';
import { PROJECT } from '../projects/projects.service.js';
import { authorizeTask } from '../tasks/task-access.js';
import { parseChain, type ChainLink } from './delegated-token-lookup.js';
import { DEFAULT_DELEGATION_SECONDS, MAX_DELEGATION_DEPTH } from './delegation.schemas.js';
import type { DelegatedTokenRow, DelegationParentKind, DelegationRootKind } from './tables.js';

type Trx = Transaction<Database>;
type TokenPrincipal = Exclude<Principal, { kind: 'session' }>;

/** How many live delegated tokens one root may have below it: minting is cheap, so it is bounded. */
export const MAX_LIVE_DELEGATIONS_PER_ROOT = 100;

export interface DelegateInput {
  name?: string;
  permissions?: string[];
  projectIds?: string[];
  taskId?: string;
  expiresInSeconds?: number;
}

/** The answer of POST /me/delegate: the new token with its secret, shown this once. */
export interface IssuedDelegatedToken {
  id: string;
  token: string;
  parentId: string;
  parentKind: DelegationParentKind;
  rootKind: DelegationRootKind;
  depth: number;
  name: string;
  permissions: Permission[] | null;
  projectIds: string[] | null;
  taskId: string | null;
  expiresAt: string;
}

/** Where a new link hangs: its parent, and the root (and whose it is) every link of the chain shares. */
interface Lineage {
  parentKind: DelegationParentKind;
  parentId: string;
  rootKind: DelegationRootKind;
  rootId: string;
  workspaceId: string | null;
  userId: string | null;
  chain: ChainLink[];
}

async function lineageOf(db: Db, principal: TokenPrincipal): Promise<Lineage> {
  if (principal.delegation) {
    const parent = await db
      .selectFrom('delegated_tokens')
      .select(['root_kind', 'root_id', 'workspace_id', 'user_id', 'chain'])
      .where('id', '=', principal.delegation.tokenId)
      .executeTakeFirstOrThrow();
    return {
      parentKind: 'delegated',
      parentId: principal.delegation.tokenId,
      rootKind: parent.root_kind,
      rootId: parent.root_id,
      workspaceId: parent.workspace_id,
      userId: parent.user_id,
      chain: parseChain(parent.chain),
    };
  }
  switch (principal.kind) {
    case 'personal_token': {
      const id = principal.token.id;
      return {
        parentKind: 'personal',
        parentId: id,
        rootKind: 'personal',
        rootId: id,
        workspaceId: null,
        userId: principal.user.id,
        ...chainOf('personal', id),
      };
    }
    case 'workspace_token': {
      const { id, workspaceId } = principal.token;
      const row = await db.selectFrom('workspace_access_tokens').select('created_by').where('id', '=', id).executeTakeFirst();
      return {
        parentKind: 'workspace',
        parentId: id,
        rootKind: 'workspace',
        rootId: id,
        workspaceId,
        userId: row?.created_by ?? null,
        ...chainOf('workspace', id),
      };
    }
    case 'agent': {
      const { id, workspaceId } = principal.agent;
      const row = await db.selectFrom('agents').select(['created_by_type', 'created_by_id']).where('id', '=', id).executeTakeFirst();
      const userId = row?.created_by_type === 'user' ? row.created_by_id : null;
      return { parentKind: 'agent', parentId: id, rootKind: 'agent', rootId: id, workspaceId, userId, ...chainOf('agent', id) };
    }
  }
}

function chainOf(kind: DelegationRootKind, id: string): { chain: ChainLink[] } {
  return { chain: [{ kind, id }] };
}

function delegationRefusal(permission: Permission): AppError {
  return new AppError('DELEGATION_SCOPE', `This delegated token's scope does not include ${permission}, so it cannot delegate it`, {
    missingPermission: permission,
    refusedBy: 'delegation_scope',
  });
}

/**
 * A child never holds more than its parent: each permission asked for must be held by the caller, in each
 * project (and task) asked for, or anywhere its workspace-bound token acts; 403 naming the first one missing
 * and the layer that removes it. A personal token asked for no project is checked against its own permissions
 * (its owner's role, which differs by workspace, still applies on every use).
 */
async function requireWithinParent(
  db: Db,
  principal: TokenPrincipal,
  permissions: readonly Permission[] | null,
  projectIds: readonly string[] | null,
  taskId: string | null,
): Promise<{ taskProjectId: string | null }> {
  const asked: readonly Permission[] = permissions ?? [];
  const scope = principal.delegation;
  for (const permission of asked) {
    if (scope?.permissions && !scope.permissions.includes(permission)) throw delegationRefusal(permission);
  }
  let taskProjectId: string | null = null;
  if (taskId !== null) {
    for (const permission of asked.length > 0 ? asked : (['tasks:read'] as const)) {
      const { task } = await authorizeTask(db, principal, taskId, permission);
      taskProjectId = task.project_id;
    }
    if (projectIds !== null && taskProjectId !== null && !projectIds.includes(taskProjectId)) {
      throw invalidField('taskId', 'is in a project outside projectIds');
    }
  }
  if (projectIds !== null) {
    for (const projectId of projectIds) {
      for (const permission of asked.length > 0 ? asked : (['projects:read'] as const)) {
        await authorizeById(db, principal, PROJECT, projectId, permission);
      }
    }
  }
  if (principal.kind === 'personal_token') {
    const own = principal.token.permissions;
    const missing = own === null ? undefined : asked.find((permission) => !own.includes(permission));
    if (missing !== undefined) {
      throw new AppError('PERMISSION_DENIED', `This token does not grant ${missing}, so it cannot delegate it`, {
        missingPermission: missing,
        refusedBy: 'token_permissions',
      });
    }
  } else if (taskId === null && projectIds === null) {
    const workspaceId = principal.kind === 'agent' ? principal.agent.workspaceId : principal.token.workspaceId;
    const access = await workspaceAccess(db, principal, workspaceId);
    for (const permission of asked) requirePermission(access, permission);
  }
  return { taskProjectId };
}

/** When the child expires: asked for (never past its parent: 400), or the default cut to the parent's expiry. */
function childExpiry(principal: TokenPrincipal, expiresInSeconds: number | undefined, now: number): string {
  const parentExpiry = credentialExpiry(principal);
  const wanted = new Date(now + (expiresInSeconds ?? DEFAULT_DELEGATION_SECONDS) * 1000).toISOString();
  if (parentExpiry === null || wanted <= parentExpiry) return wanted;
  if (expiresInSeconds === undefined) return new Date(Date.parse(parentExpiry)).toISOString();
  throw invalidField('expiresInSeconds', `must end no later than the calling token, which expires at ${parentExpiry}`, 'INVALID_EXPIRY', {
    latestExpiresAt: parentExpiry,
  });
}

const toJson = (list: readonly string[] | null) => (list === null ? null : JSON.stringify(list));

/**
 * POST /me/delegate: mints a child of the calling token (`presentedToken`, the secret the request carried), a
 * subset of what it holds, expiring no later than it, at most MAX_DELEGATION_DEPTH links below its root. The
 * child stores the hash of that very secret: a rotated-away parent secret ends the child with it.
 */
export async function delegate(
  db: Db,
  principal: Principal,
  presentedToken: string,
  ip: string,
  input: DelegateInput,
): Promise<IssuedDelegatedToken> {
  if (principal.kind === 'session') throw new AppError('TOKEN_REQUIRED', 'Only an API token can delegate');
  const depth = (principal.delegation?.depth ?? 0) + 1;
  if (depth > MAX_DELEGATION_DEPTH) {
    throw new AppError('DELEGATION_DEPTH_EXCEEDED', `A delegation chain has at most ${MAX_DELEGATION_DEPTH} links below its root token`, {
      depth,
      maxDepth: MAX_DELEGATION_DEPTH,
      refusedBy: 'delegation_scope',
    });
  }
  const asked = permissionList(input.permissions ?? null);
  const scope = principal.delegation;
  if (scope?.taskId && input.taskId !== undefined && input.taskId !== scope.taskId) {
    const details = { refusedBy: 'delegation_scope', taskId: input.taskId };
    throw new AppError('DELEGATION_SCOPE', 'This delegated token is limited to another task', details);
  }
  const taskId = input.taskId ?? scope?.taskId ?? null;
  const askedProjects = input.projectIds ? [...new Set(input.projectIds)] : null;
  const { taskProjectId } = await requireWithinParent(db, principal, asked, askedProjects, taskId);
  // What it holds, spelled out: what it asked for, else what its delegated parent holds. A single-task child
  // reaches that task's project only.
  const permissions = asked ?? (scope?.permissions ? [...scope.permissions] : null);
  const projectIds = askedProjects ?? (taskProjectId !== null ? [taskProjectId] : scope?.projectIds ? [...scope.projectIds] : null);
  const now = Date.now();
  const expiresAt = childExpiry(principal, input.expiresInSeconds, now);
  const lineage = await lineageOf(db, principal);
  const token = generateToken('delegated');
  const id = newId('delegatedToken');
  const chain = [...lineage.chain, { kind: 'delegated', id } satisfies ChainLink];
  const name = input.name?.trim() || `Delegated by ${parentName(principal)}`;
  const row: DelegatedTokenRow = {
    id,
    token_hash: hashToken(token),
    display_prefix: displayPrefix(token),
    name,
    parent_kind: lineage.parentKind,
    parent_id: lineage.parentId,
    parent_token_hash: hashToken(presentedToken),
    root_kind: lineage.rootKind,
    root_id: lineage.rootId,
    workspace_id: lineage.workspaceId,
    user_id: lineage.userId,
    chain: JSON.stringify(chain),
    depth,
    permissions: toJson(permissions),
    project_ids: toJson(projectIds),
    task_id: taskId,
    expires_at: expiresAt,
    created_at: new Date(now).toISOString(),
    revoked_at: null,
    revoked_reason: null,
    last_used_at: null,
    last_used_ip: null,
  };
  await db.transaction().execute(async (trx) => {
    await requireRoomUnderRoot(trx, lineage, row.created_at);
    await trx.insertInto('delegated_tokens').values(row).execute();
    await recordAudit(trx, {
      userId: lineage.userId,
      workspaceId: lineage.workspaceId,
      actor: actorOf(principal),
      action: 'delegated_token.created',
      targetType: 'delegated_token',
      targetId: id,
      ip,
      details: { chain, name, depth, permissions, projectIds, taskId, expiresAt },
    });
  });
  return {
    id,
    token,
    parentId: lineage.parentId,
    parentKind: lineage.parentKind,
    rootKind: lineage.rootKind,
    depth,
    name,
    permissions,
    projectIds,
    taskId,
    expiresAt,
  };
}

function parentName(principal: TokenPrincipal): string {
  if (principal.delegation) return principal.delegation.name;
  switch (principal.kind) {
    case 'personal_token':
      return principal.token.name;
    case 'workspace_token':
      return principal.token.label;
    case 'agent':
      return principal.agent.name;
  }
}

async function requireRoomUnderRoot(trx: Trx, lineage: Lineage, now: string): Promise<void> {
  const { live } = await trx
    .selectFrom('delegated_tokens')
    .select((eb) => eb.fn.countAll<string | number>().as('live'))
    .where('root_kind', '=', lineage.rootKind)
    .where('root_id', '=', lineage.rootId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirstOrThrow();
  if (Number(live) >= MAX_LIVE_DELEGATIONS_PER_ROOT) {
    throw new AppError('TOKEN_LIMIT_REACHED', `A token may have at most ${MAX_LIVE_DELEGATIONS_PER_ROOT} live delegated tokens below it`, {
      limit: MAX_LIVE_DELEGATIONS_PER_ROOT,
    });
  }
}

/** A live delegated token as the lists show it below its root. */
export interface DelegatedTokenSummary {
  id: string;
  parentId: string;
  name: string;
  displayPrefix: string;
  depth: number;
  permissions: Permission[] | null;
  projectIds: string[] | null;
  taskId: string | null;
  expiresAt: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** Every live (unrevoked, unexpired) delegated token below each of these roots, flattened, oldest first. */
async function delegationsUnder(
  db: Db,
  usage: UsageTracker,
  rootKind: DelegationRootKind,
  rootIds: readonly string[],
): Promise<Map<string, DelegatedTokenSummary[]>> {
  const byRoot = new Map<string, DelegatedTokenSummary[]>();
  if (rootIds.length === 0) return byRoot;
  const rows = await db
    .selectFrom('delegated_tokens')
    .selectAll()
    .where('root_kind', '=', rootKind)
    .where('root_id', 'in', rootIds)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', nowIso())
    .orderBy('id', 'asc')
    .execute();
  for (const row of rows) {
    const lastUse = latestUse(usage, 'delegated_tokens', row.id, { at: row.last_used_at, ip: row.last_used_ip });
    const summary: DelegatedTokenSummary = {
      id: row.id,
      parentId: row.parent_id,
      name: row.name,
      displayPrefix: row.display_prefix,
      depth: row.depth,
      permissions: parsePermissionList(row.permissions),
      projectIds: parseStringList(row.project_ids),
      taskId: row.task_id,
      expiresAt: row.expires_at,
      createdAt: row.created_at,
      lastUsedAt: lastUse.at,
    };
    byRoot.set(row.root_id, [...(byRoot.get(row.root_id) ?? []), summary]);
  }
  return byRoot;
}

/** A list page of root tokens (or agents), each item given `delegations`: every live descendant. */
export async function withDelegations<Item extends { id: string }>(
  db: Db,
  usage: UsageTracker,
  rootKind: DelegationRootKind,
  page: { items: Item[]; nextCursor: string | null },
): Promise<{ items: (Item & { delegations: DelegatedTokenSummary[] })[]; nextCursor: string | null }> {
  const byRoot = await delegationsUnder(
    db,
    usage,
    rootKind,
    page.items.map((item) => item.id),
  );
  return { ...page, items: page.items.map((item) => ({ ...item, delegations: byRoot.get(item.id) ?? [] })) };
}

/** Whether this token principal is the delegated token's root or one of its ancestors. */
function isAncestor(principal: TokenPrincipal, row: DelegatedTokenRow): boolean {
  const chain = parseChain(row.chain);
  if (principal.delegation) {
    const own = principal.delegation.tokenId;
    return own !== row.id && chain.some((link) => link.kind === 'delegated' && link.id === own);
  }
  switch (principal.kind) {
    case 'personal_token':
      return row.root_kind === 'personal' && row.root_id === principal.token.id;
    case 'workspace_token':
      return row.root_kind === 'workspace' && row.root_id === principal.token.id;
    case 'agent':
      return row.root_kind === 'agent' && row.root_id === principal.agent.id;
  }
}

/** By session: the root personal token's owner, or who may manage the workspace token or agent at its root. */
async function mayRevokeBySession(db: Db, principal: Principal & { kind: 'session' }, row: DelegatedTokenRow): Promise<boolean> {
  if (row.root_kind === 'personal') return row.user_id === principal.user.id;
  if (row.workspace_id === null) return false;
  try {
    await authorize(db, principal, row.workspace_id, row.root_kind === 'agent' ? 'agents:write' : 'tokens:write');
    return true;
  } catch (err) {
    // No standing there: the token is as unknown to them as a missing id.
    if (err instanceof AppError && err.code === 'NOT_FOUND') return false;
    throw err;
  }
}

/**
 * DELETE /delegated-tokens/:id: revokes it and every descendant at once (a child of a revoked token is refused
 * anyway; revoking it too keeps the lists true). Anyone else gets the 404 a missing id gets.
 */
export async function revokeDelegatedToken(db: Db, principal: Principal, id: string, ip: string): Promise<void> {
  const row = await db.selectFrom('delegated_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw notFound('Delegated token');
  const allowed = principal.kind === 'session' ? await mayRevokeBySession(db, principal, row) : isAncestor(principal, row);
  if (!allowed) throw notFound('Delegated token');
  await revokeDelegationTree(db, row, actorOf(principal), ip);
}

/**
 * Revokes a delegated token and its descendants as `actor`, recording one audit entry; the caller has decided they may
 * (DELETE /delegated-tokens/:id above, or the token inventory for a workspace owner or instance admin).
 */
export async function revokeDelegationTree(db: Db, row: DelegatedTokenRow, actor: Actor, ip: string | null): Promise<void> {
  const { id } = row;
  await db.transaction().execute(async (trx) => {
    const now = nowIso();
    let level = [id];
    const revoked: string[] = [];
    while (level.length > 0) {
      const result = await trx
        .updateTable('delegated_tokens')
        .set({ revoked_at: now })
        .where('id', 'in', level)
        .where('revoked_at', 'is', null)
        .returning('id')
        .execute();
      revoked.push(...result.map((r) => r.id));
      const children = await trx.selectFrom('delegated_tokens').select('id').where('parent_id', 'in', level).execute();
      level = children.map((child) => child.id);
    }
    if (!revoked.includes(id)) return;
    await recordAudit(trx, {
      userId: row.user_id,
      workspaceId: row.workspace_id,
      actor,
      action: 'delegated_token.revoked',
      targetType: 'delegated_token',
      targetId: id,
      ip,
      details: { chain: parseChain(row.chain), name: row.name, descendantsRevoked: revoked.filter((other) => other !== id) },
    });
  });
}
