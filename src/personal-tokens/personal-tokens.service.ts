import type { SelectQueryBuilder, Transaction } from 'kysely';
import { recordAudit } from '../audit/audit.service.js';
import type { UsageTracker } from '../auth/usage-tracker.js';
import type { Actor } from '../authz/principal.js';
import { requireRoomForUser } from '../credentials/caps.js';
import { allowedIpsColumn, normalisedAllowedIps } from '../credentials/ip-allowlist.js';
import { hygieneConditions, tokenHygiene, type HygieneFilter, type HygieneRule } from '../credentials/hygiene.js';
import { latestUse } from '../credentials/last-use.js';
import { checkedExpiry, checkedRateLimit, type TokenLimits } from '../credentials/limits.js';
import { requireOwnerTokenPlan } from '../credentials/plan.js';
import { displayPrefix, generateToken, hashToken } from '../credentials/token-format.js';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { containsText } from '../db/text-search.js';
import { AppError, notFound } from '../errors/app-error.js';
import { fetchPage, idAfterCursor, idCursorOf, type PageRequest } from '../http/pagination.js';
import { newId } from '../lib/ids.js';
import { nowIso } from '../lib/time.js';
import { permissionList, tokenName, visibleProjectIds } from './personal-token-input.js';
import { tokenStatus, toPersonalTokenView, type PersonalTokenView, type TokenStatus } from './personal-token-view.js';
import type { PersonalAccessTokenRow } from './tables.js';

/** The signed-in owner acting on their tokens, and where from (for the audit log). */
export interface TokenOwner {
  userId: string;
  ip: string;
}

export interface NewTokenInput {
  name?: unknown;
  permissions?: string[] | null;
  projectIds?: string[] | null;
  expiresAt?: string;
  rateLimitPerMinute?: number | null;
  allowedIps?: string[] | null;
}

export type TokenChanges = NewTokenInput;

/** A view plus the secret: returned by creation and rotation only, and never again. */
export type IssuedToken = PersonalTokenView & { token: string };

const toJson = (list: readonly string[] | null) => (list === null ? null : JSON.stringify(list));

function audit(trx: Transaction<Database>, owner: TokenOwner, action: string, tokenId: string, details: Record<string, unknown>) {
  return recordAudit(trx, {
    userId: owner.userId,
    actor: { type: 'user', id: owner.userId },
    action,
    targetType: 'personal_token',
    targetId: tokenId,
    ip: owner.ip,
    details,
  });
}

async function ownedRow(db: Db | Transaction<Database>, owner: TokenOwner, id: string): Promise<PersonalAccessTokenRow> {
  const row = await db
    .selectFrom('personal_access_tokens')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', owner.userId)
    .executeTakeFirst();
  if (!row) throw notFound('Token');
  return row;
}

function requireActive(row: PersonalAccessTokenRow, action: string): void {
  const status = tokenStatus(row, nowIso());
  if (status !== 'active')
    throw new AppError('CONFLICT', `This token is ${status}; it cannot be ${action}. Create a new one instead`, { status });
}

export async function createPersonalToken(db: Db, limits: TokenLimits, owner: TokenOwner, input: NewTokenInput): Promise<IssuedToken> {
  const name = tokenName(input.name);
  const permissions = permissionList(input.permissions ?? null);
  const expiresAt = checkedExpiry(input.expiresAt, limits);
  const rateLimit = checkedRateLimit(input.rateLimitPerMinute ?? null, limits);
  const allowedIps = normalisedAllowedIps(input.allowedIps ?? null);
  await requireOwnerTokenPlan(db, owner.userId);
  const projectIds = await visibleProjectIds(db, owner.userId, input.projectIds ?? null);

  const token = generateToken('personal');
  const now = nowIso();
  const row: PersonalAccessTokenRow = {
    id: newId('personalToken'),
    user_id: owner.userId,
    name,
    token_hash: hashToken(token),
    display_prefix: displayPrefix(token),
    previous_token_hash: null,
    previous_valid_until: null,
    permissions: toJson(permissions),
    project_ids: toJson(projectIds),
    rate_limit_per_minute: rateLimit,
    allowed_ips: allowedIpsColumn(allowedIps),
    expires_at: expiresAt,
    last_used_at: null,
    last_used_ip: null,
    revoked_at: null,
    revoked_reason: null,
    created_at: now,
    updated_at: now,
  };
  await db.transaction().execute(async (trx) => {
    await requireRoomForUser(trx, owner.userId, limits.maxHeld);
    await trx.insertInto('personal_access_tokens').values(row).execute();
    await audit(trx, owner, 'token.created', row.id, {
      name,
      permissions,
      projectIds,
      expiresAt,
      rateLimitPerMinute: rateLimit,
      allowedIps,
    });
  });
  return { ...toPersonalTokenView(row), token };
}

export interface TokenListOptions extends PageRequest, HygieneFilter {
  status?: TokenStatus;
  /** Part of the name, in any case. */
  q?: string;
}

type TokenQuery = SelectQueryBuilder<Database, 'personal_access_tokens', PersonalAccessTokenRow>;

/** The same rule as `tokenStatus`, in SQL: revoked wins over expired. */
function whereStatus(query: TokenQuery, status: TokenStatus, now: string): TokenQuery {
  if (status === 'revoked') return query.where('revoked_at', 'is not', null);
  return query.where('revoked_at', 'is', null).where('expires_at', status === 'expired' ? '<=' : '>', now);
}

const COLUMNS = { id: 'id', expiresAt: 'expires_at', lastUsedAt: 'last_used_at', createdAt: 'created_at', revokedAt: 'revoked_at' };

/**
 * The owner's tokens, newest first, optionally by status, name, staleness or coming expiry, showing last uses
 * not yet flushed to the database.
 */
export async function listPersonalTokens(db: Db, usage: UsageTracker, hygiene: HygieneRule, owner: TokenOwner, page: TokenListOptions) {
  let query = db.selectFrom('personal_access_tokens').selectAll().where('user_id', '=', owner.userId);
  if (page.status) query = whereStatus(query, page.status, nowIso());
  if (page.q) query = query.where(containsText('name', page.q));
  for (const condition of hygieneConditions(COLUMNS, page, hygiene)) query = query.where(condition);
  const after = idAfterCursor(page);
  if (after !== null) query = query.where('id', '<', after);
  const { items, nextCursor } = await fetchPage(page.limit, (rows) => query.orderBy('id', 'desc').limit(rows).execute(), idCursorOf);
  const listed = (row: PersonalAccessTokenRow) => {
    const view = toPersonalTokenView(row, lastUseOf(usage, row));
    const times = { expiresAt: row.expires_at, lastUsedAt: view.lastUsedAt, createdAt: row.created_at, revoked: row.revoked_at !== null };
    return { ...view, ...tokenHygiene(times, hygiene) };
  };
  return { items: items.map(listed), nextCursor };
}

function lastUseOf(usage: UsageTracker, row: PersonalAccessTokenRow) {
  return latestUse(usage, 'personal_access_tokens', row.id, { at: row.last_used_at, ip: row.last_used_ip });
}

export async function getPersonalToken(db: Db, usage: UsageTracker, owner: TokenOwner, id: string): Promise<PersonalTokenView> {
  const row = await ownedRow(db, owner, id);
  return toPersonalTokenView(row, lastUseOf(usage, row));
}

/** Rename, or change permissions, projects, expiry or rate limit, within the same limits as creation. */
export async function updatePersonalToken(
  db: Db,
  limits: TokenLimits,
  owner: TokenOwner,
  id: string,
  changes: TokenChanges,
): Promise<PersonalTokenView> {
  const row = await ownedRow(db, owner, id);
  requireActive(row, 'edited');
  const set: Partial<PersonalAccessTokenRow> = {};
  if (changes.name !== undefined) set.name = tokenName(changes.name);
  if (changes.permissions !== undefined) set.permissions = toJson(permissionList(changes.permissions));
  if (changes.expiresAt !== undefined) set.expires_at = checkedExpiry(changes.expiresAt, limits);
  if (changes.rateLimitPerMinute !== undefined) set.rate_limit_per_minute = checkedRateLimit(changes.rateLimitPerMinute, limits);
  if (changes.allowedIps !== undefined) set.allowed_ips = allowedIpsColumn(normalisedAllowedIps(changes.allowedIps));
  if (changes.projectIds !== undefined) set.project_ids = toJson(await visibleProjectIds(db, owner.userId, changes.projectIds));
  const changed = Object.keys(changes).filter((key) => changes[key as keyof TokenChanges] !== undefined);
  if (changed.length === 0) return toPersonalTokenView(row);

  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('personal_access_tokens')
      .set({ ...set, updated_at: nowIso() })
      .where('id', '=', id)
      .execute();
    await audit(trx, owner, 'token.updated', id, { changed, name: set.name ?? row.name });
  });
  return toPersonalTokenView(await ownedRow(db, owner, id));
}

/** Revokes one token at once; revoking a revoked token changes nothing. */
export async function revokePersonalToken(db: Db, owner: TokenOwner, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await revokeTokenRow(trx, await ownedRow(trx, owner, id), { actor: { type: 'user', id: owner.userId }, ip: owner.ip });
  });
}

/** Who revokes a personal token other than its owner (the token inventory), and in which workspace's name. */
export interface TokenRevoker {
  actor: Actor;
  ip: string | null;
  workspaceId?: string;
}

/** Revokes a token as someone else (a workspace owner or instance admin): the same rule and audit entry, in the owner's log. */
export async function revokePersonalTokenAs(trx: Transaction<Database>, id: string, by: TokenRevoker): Promise<void> {
  const row = await trx.selectFrom('personal_access_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Token');
  await revokeTokenRow(trx, row, by);
}

async function revokeTokenRow(trx: Transaction<Database>, row: PersonalAccessTokenRow, by: TokenRevoker): Promise<void> {
  if (row.revoked_at !== null) return;
  const now = nowIso();
  // Guarded: of concurrent revocations (all of which read it unrevoked) only the one that revokes it records it.
  const result = await trx
    .updateTable('personal_access_tokens')
    .set({ revoked_at: now, updated_at: now })
    .where('id', '=', row.id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) return;
  await recordAudit(trx, {
    userId: row.user_id,
    workspaceId: by.workspaceId ?? null,
    actor: by.actor,
    action: 'token.revoked',
    targetType: 'personal_token',
    targetId: row.id,
    ip: by.ip,
    details: { name: row.name },
  });
}

/** Revokes every token of the owner not already revoked; returns how many. */
export async function revokeAllPersonalTokens(db: Db, owner: TokenOwner): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    const result = await trx
      .updateTable('personal_access_tokens')
      .set({ revoked_at: now, updated_at: now })
      .where('user_id', '=', owner.userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    const revoked = Number(result.numUpdatedRows);
    await recordAudit(trx, {
      userId: owner.userId,
      actor: { type: 'user', id: owner.userId },
      action: 'token.revoked_all',
      targetType: 'user',
      targetId: owner.userId,
      ip: owner.ip,
      details: { revoked },
    });
    return revoked;
  });
}

/**
 * A new secret for the same token. The replaced secret keeps working until `graceSeconds` from now
 * (0 ends it at once; the schema holds it to MAX_GRACE_SECONDS); a later rotation forgets it entirely.
 */
export async function rotatePersonalToken(db: Db, owner: TokenOwner, id: string, graceSeconds: number): Promise<IssuedToken> {
  const token = generateToken('personal');
  await db.transaction().execute(async (trx) => {
    const row = await ownedRow(trx, owner, id);
    requireActive(row, 'rotated');
    const now = new Date();
    const previousValidUntil = new Date(now.getTime() + graceSeconds * 1000).toISOString();
    // Matching the old hash makes two concurrent rotations conflict instead of both "winning".
    const result = await trx
      .updateTable('personal_access_tokens')
      .set({
        token_hash: hashToken(token),
        display_prefix: displayPrefix(token),
        previous_token_hash: row.token_hash,
        previous_valid_until: previousValidUntil,
        updated_at: now.toISOString(),
      })
      .where('id', '=', id)
      .where('token_hash', '=', row.token_hash)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new AppError('CONFLICT', 'The token was rotated at the same time; try again');
    await audit(trx, owner, 'token.rotated', id, { name: row.name, graceSeconds, previousSecretValidUntil: previousValidUntil });
  });
  return { ...toPersonalTokenView(await ownedRow(db, owner, id)), token };
}
