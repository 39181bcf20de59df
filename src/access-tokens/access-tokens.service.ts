import type { Transaction } from 'kysely';
import type { CredentialDisabledReason, WorkspaceAccessTokenRow } from '../agents/tables.js';
import type { UsageTracker } from '../auth/usage-tracker.js';
import { requirePermission, requireRoleWithin, type WorkspaceAccess } from '../authz/authorize.js';
import { isRole, roleAtLeast, type Role } from '../authz/roles.js';
import type { Db } from '../db/database.js';
import { requireDeleted } from '../db/deletion.js';
import type { Database } from '../db/schema.js';
import { AppError, notFound } from '../errors/app-error.js';
import { newId } from '../lib/ids.js';
import { nowIso } from '../lib/time.js';
import { displayPrefix, generateToken, hashToken } from '../tokens/token-format.js';
import { recordCredentialChange } from './change-log.js';
import { latestUse, WORKSPACE_TOKEN_USAGE } from './token-usage.js';
import { idBefore, pageOf, type Page } from './id-paging.js';
import { checkedExpiry, checkedRateLimit, requireCredentialRoom, requirePaidPlan, type Caller, type TokenLimits } from './credential-rules.js';

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
  /** Why it is disabled; null while it is not. */
  disabledReason: CredentialDisabledReason | null;
  lastUsedAt: string | null;
}

type Trx = Transaction<Database>;

export function accessTokenStatus(row: Pick<WorkspaceAccessTokenRow, 'disabled_at' | 'expires_at'>, now = nowIso()): AccessTokenStatus {
  if (row.disabled_at !== null) return 'disabled';
  return row.expires_at !== null && row.expires_at <= now ? 'expired' : 'active';
}

export function accessTokenView(row: WorkspaceAccessTokenRow, lastUsedAt: string | null = row.last_used_at): AccessTokenView {
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
    disabledReason: row.disabled_at === null ? null : (row.disabled_reason ?? 'manual'),
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
    expires_at: checkedExpiry(input.expiresAt ?? null, limits.maxLifetimeMs),
    disabled_at: null,
    disabled_reason: null,
    last_used_at: null,
    last_used_ip: null,
  };
  const view = accessTokenView(row);
  await db.transaction().execute(async (trx) => {
    await requireCredentialRoom(trx, access.workspaceId, limits.maxPerWorkspace);
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
  return { items: items.map((row) => accessTokenView(row, latestUse(usage, WORKSPACE_TOKEN_USAGE, row.id, row.last_used_at))), nextCursor };
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

type RowChanges = Partial<Pick<WorkspaceAccessTokenRow, 'label' | 'scope' | 'expires_at' | 'rate_limit_per_minute' | 'disabled_at' | 'disabled_reason' | 'created_by'>>;

function settingsChanges(changes: AccessTokenChanges, limits: TokenLimits): RowChanges {
  const set: RowChanges = {};
  if (changes.label !== undefined) set.label = changes.label.trim();
  if (changes.scope !== undefined) set.scope = changes.scope;
  if (changes.expiresAt !== undefined) set.expires_at = checkedExpiry(changes.expiresAt, limits.maxLifetimeMs);
  if (changes.rateLimitPerMinute !== undefined) set.rate_limit_per_minute = checkedRateLimit(changes.rateLimitPerMinute, limits);
  return set;
}

/**
 * Re-enabling makes the administrator who does it the token's responsible creator: a token disabled
 * because its creator left then answers to someone still here, and is disabled again if they go too.
 */
function reEnabling(access: WorkspaceAccess): RowChanges {
  return { disabled_at: null, disabled_reason: null, created_by: access.actor.id };
}

function toggleDetails(before: WorkspaceAccessTokenRow, enabled: boolean): Record<string, unknown> {
  return enabled ? { previousCreatedBy: before.created_by, previousDisabledReason: before.disabled_reason ?? 'manual' } : { reason: 'manual' };
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
    // A no-op write takes the row's lock on PostgreSQL first: of two concurrent toggles, the second sees the first's result.
    await trx.updateTable('workspace_access_tokens').set((eb) => ({ updated_at: eb.ref('updated_at') })).where('id', '=', tokenId).execute();
    const before = await findInWorkspace(trx, access.workspaceId, tokenId);
    requireTokenWithinRole(access, before);
    const wasDisabled = before.disabled_at !== null;
    const toggled = enabled !== undefined && enabled === wasDisabled;
    if (toggled) Object.assign(set, enabled ? reEnabling(access) : { disabled_at: nowIso(), disabled_reason: 'manual' });
    if (Object.keys(set).length === 0) return accessTokenView(before);
    await trx.updateTable('workspace_access_tokens').set({ ...set, updated_at: nowIso() }).where('id', '=', tokenId).execute();
    const view = accessTokenView(await findInWorkspace(trx, access.workspaceId, tokenId));
    if (editing) await recordChange(trx, caller, 'updated', view, { changed: changedFields, previousScope: before.scope });
    if (toggled) await recordChange(trx, caller, enabled ? 'enabled' : 'disabled', view, toggleDetails(before, enabled));
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
    // Of concurrent deletions only the one that removes the row records it; the others answer 404.
    requireDeleted(await trx.deleteFrom('workspace_access_tokens').where('id', '=', tokenId).executeTakeFirst(), 'Access token');
    await recordChange(trx, caller, 'deleted', accessTokenView(row));
  });
}
