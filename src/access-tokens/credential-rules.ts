import type { Transaction } from 'kysely';
import type { WorkspaceAccess } from '../authz/authorize.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../errors/app-error.js';
import { nowIso } from '../lib/time.js';
import { lockWorkspace } from '../workspaces/workspace-lock.js';

const DAY_MS = 86_400_000;

/** Who is acting, with what access, and from where (for the audit log). */
export interface Caller {
  access: WorkspaceAccess;
  ip: string | null;
}

export interface TokenLimits {
  /** This kind's maximum lifetime: every token expires, by default at the latest allowed time. */
  maxLifetimeMs: number;
  /** A token may lower its own rate limit, never raise it above the instance's. */
  maxRateLimitPerMinute: number;
  /** Workspace access tokens plus agents one workspace may hold. */
  maxPerWorkspace: number;
}

/**
 * Checks a requested expiry (in the future, within the instance's maximum lifetime) and normalises it
 * to UTC ISO text, since expiry is compared as text on both dialects. None requested (null): the
 * latest the lifetime allows; no token lives for ever.
 */
export function checkedExpiry(expiresAt: string | null, maxLifetimeMs: number): string {
  const now = Date.now();
  if (expiresAt === null) return new Date(now + maxLifetimeMs).toISOString();
  const at = Date.parse(expiresAt);
  const refuse = (message: string) =>
    new AppError('INVALID_EXPIRY', `expiresAt ${message}`, { fields: [{ field: 'expiresAt', message }] });
  if (Number.isNaN(at)) throw refuse('must be an ISO-8601 date-time');
  if (at <= now) throw refuse('must be in the future');
  if (at > now + maxLifetimeMs) throw refuse(`must be within ${Math.floor(maxLifetimeMs / DAY_MS)} days from now`);
  return new Date(at).toISOString();
}

/** A token's own rate limit, at most the instance's; null means the instance's. */
export function checkedRateLimit(requested: number | null, limits: TokenLimits): number | null {
  if (requested !== null && requested > limits.maxRateLimitPerMinute) {
    const message = `must be at most ${limits.maxRateLimitPerMinute}, this instance's token limit`;
    throw new AppError('VALIDATION_FAILED', `rateLimitPerMinute ${message}`, { fields: [{ field: 'rateLimitPerMinute', message }] });
  }
  return requested;
}

/** Workspace and agent tokens, like personal ones, are a paid feature: none are issued on a free plan. */
export function requirePaidPlan(access: WorkspaceAccess): void {
  if (access.plan === 'free') {
    throw new AppError('PLAN_UPGRADE_REQUIRED', 'API tokens need a pro or team plan; this workspace is on the free plan', {
      plan: access.plan,
    });
  }
}

/**
 * Refuses a new workspace credential (access token or agent) once the workspace holds its maximum, so
 * nobody multiplies rate budgets without end. Unexpired tokens count, disabled ones too (they can be
 * re-enabled); the workspace row is locked first, so concurrent creations cannot all see room for one more.
 */
export async function requireCredentialRoom(trx: Transaction<Database>, workspaceId: string, max: number): Promise<void> {
  await lockWorkspace(trx, workspaceId);
  const tokens = await trx
    .selectFrom('workspace_access_tokens')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('workspace_id', '=', workspaceId)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', nowIso())]))
    .executeTakeFirstOrThrow();
  const agents = await trx.selectFrom('agents').select((eb) => eb.fn.countAll<number>().as('count')).where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow();
  if (Number(tokens.count) + Number(agents.count) >= max) {
    throw new AppError('TOKEN_LIMIT_REACHED', `This workspace holds its maximum of ${max} access tokens and agents; delete one first`, { limit: max });
  }
}
