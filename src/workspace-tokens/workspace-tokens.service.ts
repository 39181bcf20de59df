import type { Transaction } from 'kysely';
import type { UsageTracker } from '../auth/usage-tracker.js';
import { requirePermission, requireRoleWithin, type WorkspaceAccess } from '../authz/authorize.js';
import { isRole, roleAtLeast, type Role } from '../authz/roles.js';
import { requireRoomInWorkspace } from '../credentials/caps.js';
import { recordCredentialChange, type Caller } from '../credentials/change-log.js';
import { allowedIpsColumn, normalisedAllowedIps } from '../credentials/ip-allowlist.js';
import { hygieneConditions, tokenHygiene, type HygieneFilter, type HygieneRule } from '../credentials/hygiene.js';
import { latestUse } from '../credentials/last-use.js';
import { checkedExpiry, checkedRateLimit, type TokenLimits } from '../credentials/limits.js';
import { requireTokenPlan } from '../credentials/plan.js';
import { displayPrefix, generateToken, hashToken } from '../credentials/token-format.js';
import type { Db } from '../db/database.js';
import { requireDeleted } from '../db/deletion.js';
import type { Database } from '../db/schema.js';
import { AppError, notFound } from '../errors/app-error.js';
import { fetchPage, idAfterCursor, idCursorOf, type PageRequest } from '../http/pagination.js';
import { newId } from '../lib/ids.js';
import { nowIso } from '../lib/time.js';
import { disabledReasonOf } from '../credentials/state.js';
import type { WorkspaceTokenRow } from './tables.js';
import { workspaceTokenView, type WorkspaceTokenView } from './workspace-token-view.js';

type Trx = Transaction<Database>;

function recordChange(
  trx: Trx,
  caller: Caller,
  change: string,
  view: WorkspaceTokenView,
  details: Record<string, unknown> = {},
): Promise<void> {
  return recordCredentialChange(trx, caller, {
    type: `access_token.${change}`,
    resourceType: 'access_token',
    resourceId: view.id,
    data: view,
    details: { label: view.label, scope: view.scope, ...details },
  });
}

export interface NewWorkspaceToken {
  label: string;
  scope: Role;
  expiresAt?: string;
  rateLimitPerMinute?: number;
  allowedIps?: string[] | null;
}

/** Issues a workspace token; the plaintext is returned here once and never stored. */
export async function createWorkspaceToken(
  db: Db,
  caller: Caller,
  input: NewWorkspaceToken,
  limits: TokenLimits,
): Promise<WorkspaceTokenView & { token: string }> {
  const { access } = caller;
  requireTokenPlan(access.plan);
  requireRoleWithin(access, input.scope);
  const token = generateToken('workspace');
  const now = nowIso();
  const row: WorkspaceTokenRow = {
    id: newId('workspaceToken'),
    workspace_id: access.workspaceId,
    label: input.label.trim(),
    token_hash: hashToken(token),
    token_prefix: displayPrefix(token),
    scope: input.scope,
    rate_limit_per_minute: checkedRateLimit(input.rateLimitPerMinute ?? null, limits),
    allowed_ips: allowedIpsColumn(normalisedAllowedIps(input.allowedIps ?? null)),
    created_by: access.actor.id,
    created_at: now,
    updated_at: now,
    expires_at: checkedExpiry(input.expiresAt, limits),
    disabled_at: null,
    disabled_reason: null,
    revoked_at: null,
    revoked_reason: null,
    last_used_at: null,
    last_used_ip: null,
  };
  const view = workspaceTokenView(row);
  await db.transaction().execute(async (trx) => {
    await requireRoomInWorkspace(trx, access.workspaceId, limits.maxHeld);
    await trx.insertInto('workspace_access_tokens').values(row).execute();
    await recordChange(trx, caller, 'created', view);
  });
  return { ...view, token };
}

const COLUMNS = { id: 'id', expiresAt: 'expires_at', lastUsedAt: 'last_used_at', createdAt: 'created_at', revokedAt: 'revoked_at' };

/** The workspace's tokens, newest first, optionally only stale or expiring ones, with last use as fresh as this process knows it. */
export async function listWorkspaceTokens(
  db: Db,
  usage: UsageTracker,
  hygiene: HygieneRule,
  workspaceId: string,
  page: PageRequest & HygieneFilter,
) {
  let query = db.selectFrom('workspace_access_tokens').selectAll().where('workspace_id', '=', workspaceId);
  for (const condition of hygieneConditions(COLUMNS, page, hygiene)) query = query.where(condition);
  const after = idAfterCursor(page);
  if (after !== null) query = query.where('id', '<', after);
  const { items, nextCursor } = await fetchPage(page.limit, (rows) => query.orderBy('id', 'desc').limit(rows).execute(), idCursorOf);
  const lastUseOf = (row: WorkspaceTokenRow) =>
    latestUse(usage, 'workspace_access_tokens', row.id, { at: row.last_used_at, ip: row.last_used_ip }).at;
  const listed = (row: WorkspaceTokenRow) => {
    const view = workspaceTokenView(row, lastUseOf(row));
    const times = { expiresAt: row.expires_at, lastUsedAt: view.lastUsedAt, createdAt: row.created_at, revoked: row.revoked_at !== null };
    return { ...view, ...tokenHygiene(times, hygiene) };
  };
  return { items: items.map(listed), nextCursor };
}

async function findInWorkspace(db: Db | Trx, workspaceId: string, tokenId: string): Promise<WorkspaceTokenRow> {
  const row = await db
    .selectFrom('workspace_access_tokens')
    .selectAll()
    .where('id', '=', tokenId)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  if (!row) throw notFound('Access token');
  return row;
}

/** Nobody changes a token that acts above their own role (a Manager cannot extend an Owner's key). */
function requireTokenWithinRole(access: WorkspaceAccess, row: WorkspaceTokenRow): void {
  if (!access.role || !isRole(row.scope) || !roleAtLeast(access.role, row.scope)) {
    throw new AppError('ROLE_ESCALATION', `You cannot change a token scoped ${row.scope}: it is above your own role`, { scope: row.scope });
  }
}

export interface WorkspaceTokenChanges {
  label?: string;
  scope?: Role;
  expiresAt?: string | null;
  rateLimitPerMinute?: number | null;
  allowedIps?: string[] | null;
  enabled?: boolean;
}

type RowChanges = Partial<
  Pick<
    WorkspaceTokenRow,
    'label' | 'scope' | 'expires_at' | 'rate_limit_per_minute' | 'allowed_ips' | 'disabled_at' | 'disabled_reason' | 'created_by'
  >
>;

function settingsChanges(changes: WorkspaceTokenChanges, limits: TokenLimits): RowChanges {
  const set: RowChanges = {};
  if (changes.label !== undefined) set.label = changes.label.trim();
  if (changes.scope !== undefined) set.scope = changes.scope;
  if (changes.expiresAt !== undefined) set.expires_at = checkedExpiry(changes.expiresAt, limits);
  if (changes.rateLimitPerMinute !== undefined) set.rate_limit_per_minute = checkedRateLimit(changes.rateLimitPerMinute, limits);
  if (changes.allowedIps !== undefined) set.allowed_ips = allowedIpsColumn(normalisedAllowedIps(changes.allowedIps));
  return set;
}

/**
 * Re-enabling makes the administrator who does it the token's responsible creator: a token disabled
 * because its creator left then answers to someone still here, and is disabled again if they go too.
 */
function reEnabling(access: WorkspaceAccess): RowChanges {
  return { disabled_at: null, disabled_reason: null, created_by: access.actor.id };
}

function toggleDetails(before: WorkspaceTokenRow, enabled: boolean): Record<string, unknown> {
  return enabled ? { previousCreatedBy: before.created_by, previousDisabledReason: disabledReasonOf(before) } : { reason: 'manual' };
}

/**
 * Edits (tokens:write) and disables or re-enables (tokens:manage) a token. A disabled token is refused
 * from its very next request, since every request reads the token row as it is now.
 */
export async function updateWorkspaceToken(
  db: Db,
  caller: Caller,
  tokenId: string,
  changes: WorkspaceTokenChanges,
  limits: TokenLimits,
): Promise<WorkspaceTokenView> {
  const { access } = caller;
  const { enabled, ...settings } = changes;
  const changedFields = Object.entries(settings)
    .filter(([, value]) => value !== undefined)
    .map(([field]) => field);
  const editing = changedFields.length > 0;
  if (editing) requirePermission(access, 'tokens:write');
  if (enabled !== undefined) requirePermission(access, 'tokens:manage');
  if (changes.scope !== undefined) requireRoleWithin(access, changes.scope);
  const set = settingsChanges(settings, limits);

  return db.transaction().execute(async (trx) => {
    // A no-op write takes the row's lock on PostgreSQL first: of two concurrent toggles, the second sees the first's result.
    await trx
      .updateTable('workspace_access_tokens')
      .set((eb) => ({ updated_at: eb.ref('updated_at') }))
      .where('id', '=', tokenId)
      .execute();
    const before = await findInWorkspace(trx, access.workspaceId, tokenId);
    requireTokenWithinRole(access, before);
    const wasDisabled = before.disabled_at !== null;
    const toggled = enabled !== undefined && enabled === wasDisabled;
    if (toggled) Object.assign(set, enabled ? reEnabling(access) : { disabled_at: nowIso(), disabled_reason: 'manual' });
    if (Object.keys(set).length === 0) return workspaceTokenView(before);
    await trx
      .updateTable('workspace_access_tokens')
      .set({ ...set, updated_at: nowIso() })
      .where('id', '=', tokenId)
      .execute();
    const view = workspaceTokenView(await findInWorkspace(trx, access.workspaceId, tokenId));
    if (editing) await recordChange(trx, caller, 'updated', view, { changed: changedFields, previousScope: before.scope });
    if (toggled) await recordChange(trx, caller, enabled ? 'enabled' : 'disabled', view, toggleDetails(before, enabled));
    return view;
  });
}

/** Deletes a token (tokens:manage); it is unknown, hence refused, from its next request. */
export async function deleteWorkspaceToken(db: Db, caller: Caller, tokenId: string): Promise<void> {
  const { access } = caller;
  requirePermission(access, 'tokens:manage');
  await db.transaction().execute(async (trx) => {
    const row = await findInWorkspace(trx, access.workspaceId, tokenId);
    requireTokenWithinRole(access, row);
    // Of concurrent deletions only the one that removes the row records it; the others answer 404.
    requireDeleted(await trx.deleteFrom('workspace_access_tokens').where('id', '=', tokenId).executeTakeFirst(), 'Access token');
    await recordChange(trx, caller, 'deleted', workspaceTokenView(row));
  });
}

/**
 * Revokes a token for good (the token inventory: a workspace owner or an instance admin); unlike a deleted one it stays
 * listed, as revoked, and is refused with TOKEN_REVOKED from its next request. Revoking a revoked token changes nothing.
 */
export async function revokeWorkspaceToken(db: Db, caller: Caller, tokenId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await findInWorkspace(trx, caller.access.workspaceId, tokenId);
    if (row.revoked_at !== null) return;
    const now = nowIso();
    // Guarded, as every revocation: of concurrent ones only the one that revokes it records it.
    const result = await trx
      .updateTable('workspace_access_tokens')
      .set({ revoked_at: now, revoked_reason: null, updated_at: now })
      .where('id', '=', tokenId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) return;
    await recordChange(trx, caller, 'revoked', workspaceTokenView(await findInWorkspace(trx, caller.access.workspaceId, tokenId)));
  });
}
