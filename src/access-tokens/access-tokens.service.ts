import type { Transaction } from 'kysely';
import type { WorkspaceAccessTokenRow } from '../agents/tables.js';
import type { UsageTracker } from '../auth/usage-tracker.js';
import { requirePermission, requireRoleWithin, type WorkspaceAccess } from '../authz/authorize.js';
import { isRole, roleAtLeast, type Role } from '../authz/roles.js';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { AppError, notFound } from '../errors/app-error.js';
import { newId } from '../lib/ids.js';
import { nowIso } from '../lib/time.js';
import { displayPrefix, generateToken, hashToken } from '../tokens/token-format.js';
import { recordCredentialChange } from './change-log.js';
import { latestUse, WORKSPACE_TOKEN_USAGE } from './token-usage.js';
import { idBefore, pageOf, type Page } from './id-paging.js';
import { checkedExpiry, checkedRateLimit, requirePaidPlan, type Caller, type TokenLimits } from './credential-rules.js';

export type AccessTokenStatus = 'active' | 'disabled' | 'expired';

export interface AccessTokenView {
  id: string;
  workspaceId: string;
  label: string;
  prefix: string;
  scope: Role;
  rateLimitPerMinute: number | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  expiresAt: string | null;
  status: AccessTokenStatus;
  lastUsedAt: string | null;
}

type Trx = Transaction<Database>;

export function accessTokenStatus(row: Pick<WorkspaceAccessTokenRow, 'disabled_at' | 'expires_at'>, now = nowIso()): AccessTokenStatus {
  if (row.disabled_at !== null) return 'disabled';
  return row.expires_at !== null && row.expires_at <= now ? 'expired' : 'active';
}

function toView(row: WorkspaceAccessTokenRow, lastUsedAt: string | null = row.last_used_at): AccessTokenView {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    label: row.label,
    prefix: row.token_prefix,
    // Written from a Role only (create and update take a Role).
    scope: row.scope,
    rateLimitPerMinute: row.rate_limit_per_minute,
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
    status: accessTokenStatus(row),
    lastUsedAt,
  };
}

function recordChange(trx: Trx, caller: Caller, change: string, view: AccessTokenView, details: Record<string, unknown> = {}): Promise<void> {
  return recordCredentialChange(trx, caller, {
    type: `access_token.${change}`,
    resourceType: 'access_token',
    resourceId: view.id,
    data: view,
    details: { label: view.label, scope: view.scope, ...details },
  });
}

export interface NewAccessToken {
  label: string;
  scope: Role;
  expiresAt?: string;
  rateLimitPerMinute?: number;
}

/** Issues a workspace access token; the plaintext is returned here once and never stored. */
export async function createAccessToken(db: Db, caller: Caller, input: NewAccessToken, limits: TokenLimits): Promise<AccessTokenView & { token: string }> {
  const { access } = caller;
  requirePaidPlan(access);
  requireRoleWithin(access, input.scope);
  const token = generateToken('workspace');
  const now = nowIso();
  const row: WorkspaceAccessTokenRow = {
    id: newId('workspaceToken'),
    workspace_id: access.workspaceId,
    label: input.label.trim(),
    token_hash: hashToken(token),
    token_prefix: displayPrefix(token),
    scope: input.scope,
    rate_limit_per_minute: checkedRateLimit(input.rateLimitPerMinute ?? null, limits),
    created_by: access.actor.id,
    created_at: now,
    updated_at: now,
    expires_at: input.expiresAt === undefined ? null : checkedExpiry(input.expiresAt, limits.maxLifetimeMs),
    disabled_at: null,
    last_used_at: null,
    last_used_ip: null,
  };
  const view = toView(row);
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('workspace_access_tokens').values(row).execute();
    await recordChange(trx, caller, 'created', view);
  });
  return { ...view, token };
}

/** The workspace's tokens, newest first, with last use as fresh as this process knows it. */
export async function listAccessTokens(db: Db, usage: UsageTracker, workspaceId: string, page: Page) {
  let query = db.selectFrom('workspace_access_tokens').selectAll().where('workspace_id', '=', workspaceId);
  const before = idBefore(page);
  if (before !== null) query = query.where('id', '<', before);
  const { items, nextCursor } = pageOf(await query.orderBy('id', 'desc').limit(page.limit + 1).execute(), page.limit);
  return { items: items.map((row) => toView(row, latestUse(usage, WORKSPACE_TOKEN_USAGE, row.id, row.last_used_at))), nextCursor };
}

async function findInWorkspace(db: Db | Trx, workspaceId: string, tokenId: string): Promise<WorkspaceAccessTokenRow> {
  const row = await db.selectFrom('workspace_access_tokens').selectAll().where('id', '=', tokenId).where('workspace_id', '=', workspaceId).executeTakeFirst();
  if (!row) throw notFound('Access token');
  return row;
}

/** Nobody changes a token that acts above their own role (a Manager cannot extend an Owner's key). */
function requireTokenWithinRole(access: WorkspaceAccess, row: WorkspaceAccessTokenRow): void {
  if (!access.role || !isRole(row.scope) || !roleAtLeast(access.role, row.scope)) {
    throw new AppError('ROLE_ESCALATION', `You cannot change a token scoped ${row.scope}: it is above your own role`, { scope: row.scope });
  }
}

export interface AccessTokenChanges {
  label?: string;
  scope?: Role;
  expiresAt?: string | null;
  rateLimitPerMinute?: number | null;
  enabled?: boolean;
}

type RowChanges = Partial<Pick<WorkspaceAccessTokenRow, 'label' | 'scope' | 'expires_at' | 'rate_limit_per_minute' | 'disabled_at'>>;

function settingsChanges(changes: AccessTokenChanges, limits: TokenLimits): RowChanges {
  const set: RowChanges = {};
  if (changes.label !== undefined) set.label = changes.label.trim();
  if (changes.scope !== undefined) set.scope = changes.scope;
  if (changes.expiresAt !== undefined) set.expires_at = changes.expiresAt === null ? null : checkedExpiry(changes.expiresAt, limits.maxLifetimeMs);
  if (changes.rateLimitPerMinute !== undefined) set.rate_limit_per_minute = checkedRateLimit(changes.rateLimitPerMinute, limits);
  return set;
}

/**
 * Edits (tokens:write) and disables or re-enables (tokens:manage) a token. A disabled token is refused
 * from its very next request, since every request reads the token row as it is now.
 */
export async function updateAccessToken(db: Db, caller: Caller, tokenId: string, changes: AccessTokenChanges, limits: TokenLimits): Promise<AccessTokenView> {
  const { access } = caller;
  const { enabled, ...settings } = changes;
  const changedFields = Object.entries(settings).filter(([, value]) => value !== undefined).map(([field]) => field);
  const editing = changedFields.length > 0;
  if (!editing && enabled === undefined) {
    throw new AppError('VALIDATION_FAILED', 'Send at least one of label, scope, expiresAt, rateLimitPerMinute or enabled', { fields: [] });
  }
  if (editing) requirePermission(access, 'tokens:write');
  if (enabled !== undefined) requirePermission(access, 'tokens:manage');
  if (changes.scope !== undefined) requireRoleWithin(access, changes.scope);
  const set = settingsChanges(settings, limits);

  return db.transaction().execute(async (trx) => {
    const before = await findInWorkspace(trx, access.workspaceId, tokenId);
    requireTokenWithinRole(access, before);
    const wasDisabled = before.disabled_at !== null;
    const toggled = enabled !== undefined && enabled === wasDisabled;
    if (toggled) set.disabled_at = enabled ? null : nowIso();
    if (Object.keys(set).length === 0) return toView(before);
    await trx.updateTable('workspace_access_tokens').set({ ...set, updated_at: nowIso() }).where('id', '=', tokenId).execute();
    const view = toView(await findInWorkspace(trx, access.workspaceId, tokenId));
    if (editing) await recordChange(trx, caller, 'updated', view, { changed: changedFields, previousScope: before.scope });
    if (toggled) await recordChange(trx, caller, enabled ? 'enabled' : 'disabled', view);
    return view;
  });
}

/** Deletes a token (tokens:manage); it is unknown, hence refused, from its next request. */
export async function deleteAccessToken(db: Db, caller: Caller, tokenId: string): Promise<void> {
  const { access } = caller;
  requirePermission(access, 'tokens:manage');
  await db.transaction().execute(async (trx) => {
    const row = await findInWorkspace(trx, access.workspaceId, tokenId);
    requireTokenWithinRole(access, row);
    await trx.deleteFrom('workspace_access_tokens').where('id', '=', tokenId).execute();
    await recordChange(trx, caller, 'deleted', toView(row));
  });
}
