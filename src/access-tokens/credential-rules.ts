import type { WorkspaceAccess } from '../authz/authorize.js';
import { AppError } from '../errors/app-error.js';

const DAY_MS = 86_400_000;

/** Who is acting, with what access, and from where (for the audit log). */
export interface Caller {
  access: WorkspaceAccess;
  ip: string | null;
}

export interface TokenLimits {
  maxLifetimeMs: number;
  /** A token may lower its own rate limit, never raise it above the instance's. */
  maxRateLimitPerMinute: number;
}

/**
 * Checks a requested expiry (in the future, within the instance's maximum lifetime) and normalises it
 * to UTC ISO text, since expiry is compared as text on both dialects.
 */
export function checkedExpiry(expiresAt: string, maxLifetimeMs: number): string {
  const at = Date.parse(expiresAt);
  const now = Date.now();
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
