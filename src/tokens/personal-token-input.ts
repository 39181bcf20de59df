import { isPermission, type Permission } from '../authz/permissions.js';
import type { Transaction } from 'kysely';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { nowIso } from '../lib/time.js';
import { AppError } from '../errors/app-error.js';

/** The limits every token write is held to; they come from the instance configuration. */
export interface TokenLimits {
  maxLifetimeMs: number;
  /** A token may lower its own rate limit, never raise it above the instance's. */
  maxRateLimitPerMinute: number;
  /** Tokens one user may hold that still work (not revoked, not expired). */
  maxPerUser: number;
}

export const MAX_GRACE_SECONDS = 24 * 60 * 60;
const NAME_MAX_LENGTH = 100;

function invalidField(field: string, message: string, details: Record<string, unknown> = {}): AppError {
  return new AppError('VALIDATION_FAILED', message, { ...details, fields: [{ field, message }] });
}

/** The name check the API promises word for word: required, a string, 1–100 characters. */
export function tokenName(value: unknown): string {
  if (value === undefined) throw invalidField('name', 'Token name is required.');
  if (typeof value !== 'string') throw invalidField('name', 'Token name must be a string.');
  const name = value.trim();
  if (name.length === 0) throw invalidField('name', 'Token name is required.');
  if (name.length > NAME_MAX_LENGTH) throw invalidField('name', `Token name must be at most ${NAME_MAX_LENGTH} characters.`);
  return name;
}

/** Catalogue names only; every unknown one is named in the 400. null keeps "all the owner's role allows". */
export function permissionList(names: readonly string[] | null): Permission[] | null {
  if (names === null) return null;
  const unknown = names.filter((name) => !isPermission(name));
  if (unknown.length > 0) {
    throw new AppError('UNKNOWN_PERMISSION', `Unknown permission${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, {
      unknownPermissions: unknown,
    });
  }
  return [...new Set(names.filter(isPermission))];
}

/** An expiry in the future and within the instance's maximum lifetime; the maximum when none is given. */
export function expiryOf(requested: string | undefined, limits: TokenLimits, now = Date.now()): string {
  const latest = now + limits.maxLifetimeMs;
  if (requested === undefined) return new Date(latest).toISOString();
  const at = Date.parse(requested);
  if (Number.isNaN(at) || at <= now) {
    throw new AppError('INVALID_EXPIRY', 'expiresAt must be in the future', { fields: [{ field: 'expiresAt', message: 'must be in the future' }] });
  }
  if (at > latest) {
    const maxDays = Math.floor(limits.maxLifetimeMs / 86_400_000);
    throw new AppError('INVALID_EXPIRY', `expiresAt must be within the maximum token lifetime (${maxDays} days)`, {
      fields: [{ field: 'expiresAt', message: `must be at most ${new Date(latest).toISOString()}` }],
      latestExpiresAt: new Date(latest).toISOString(),
    });
  }
  return new Date(at).toISOString();
}

export function rateLimitOf(requested: number | null, limits: TokenLimits): number | null {
  if (requested !== null && requested > limits.maxRateLimitPerMinute) {
    throw invalidField('rateLimitPerMinute', `must be at most ${limits.maxRateLimitPerMinute}, this instance's token limit`);
  }
  return requested;
}

/** Only projects in the owner's workspaces; the unknown ones are named in the 400. */
export async function visibleProjectIds(db: Db, userId: string, requested: readonly string[] | null): Promise<string[] | null> {
  if (requested === null) return null;
  const wanted = [...new Set(requested)];
  const rows = await db
    .selectFrom('projects')
    .innerJoin('workspace_members', 'workspace_members.workspace_id', 'projects.workspace_id')
    .select('projects.id')
    .where('workspace_members.user_id', '=', userId)
    .where('projects.id', 'in', wanted)
    .execute();
  const visible = new Set(rows.map((row) => row.id));
  const unknown = wanted.filter((id) => !visible.has(id));
  if (unknown.length > 0) throw invalidField('projectIds', `includes projects you cannot see: ${unknown.join(', ')}`, { unknownProjectIds: unknown });
  return wanted;
}

/**
 * Tokens are a paid feature: the owner needs at least one pro or team workspace. One who belongs to
 * no workspace at all is told to create one (409), not that their workspaces are on the free plan.
 */
export async function requireTokenPlan(db: Db, userId: string): Promise<void> {
  const best = await db
    .selectFrom('workspace_members')
    .innerJoin('workspaces', 'workspaces.id', 'workspace_members.workspace_id')
    .select('workspaces.plan')
    .where('workspace_members.user_id', '=', userId)
    // A paid workspace first, if there is one.
    .orderBy((eb) => eb.case().when('workspaces.plan', '=', 'free').then(1).else(0).end())
    .limit(1)
    .executeTakeFirst();
  if (!best) {
    throw new AppError('WORKSPACE_REQUIRED', 'Create a workspace first: personal access tokens act in your workspaces, and you belong to none');
  }
  if (best.plan === 'free') {
    throw new AppError('PLAN_UPGRADE_REQUIRED', 'Personal access tokens need a pro or team workspace; all of yours are on the free plan');
  }
}

/**
 * Refuses a new token once the user holds the maximum that still work: each token has a rate budget
 * of its own, so unlimited tokens would mean an unlimited rate. The user's row is locked first, so
 * concurrent creations cannot all see room for one more.
 */
export async function requireTokenRoom(trx: Transaction<Database>, userId: string, max: number): Promise<void> {
  await trx.updateTable('users').set((eb) => ({ updated_at: eb.ref('updated_at') })).where('id', '=', userId).execute();
  const { count } = await trx
    .selectFrom('personal_access_tokens')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', nowIso())
    .executeTakeFirstOrThrow();
  if (Number(count) >= max) {
    throw new AppError('TOKEN_LIMIT_REACHED', `You hold the maximum of ${max} working personal tokens; revoke one first`, { limit: max });
  }
}
