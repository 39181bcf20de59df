import type { Config } from '../config/config.js';
import { invalidField } from '../errors/validation.js';

const DAY_MS = 86_400_000;

/** The longest a replaced secret keeps working: a personal token's rotation, an agent token's reissue. */
export const MAX_GRACE_SECONDS = 24 * 60 * 60;

/** Which settings of the instance's configuration hold a kind's limits (see each policy in policies.ts). */
export interface LimitSettings {
  lifetime: 'tokenMaxLifetimeMs' | 'workspaceTokenMaxLifetimeMs' | 'agentTokenMaxLifetimeMs';
  held: 'maxTokensPerUser' | 'maxTokensPerWorkspace';
}

/** The limits every token write is held to; they come from the instance configuration. */
export interface TokenLimits {
  /** This kind's maximum lifetime: every token expires, by default at the latest allowed time. */
  maxLifetimeMs: number;
  /** A token may lower its own rate limit, never raise it above the instance's. */
  maxRateLimitPerMinute: number;
  /** How many working credentials one holder may hold: a user (personal tokens) or a workspace (its tokens and agents). */
  maxHeld: number;
}

export function tokenLimits(config: Config, settings: LimitSettings): TokenLimits {
  return {
    maxLifetimeMs: config[settings.lifetime],
    maxRateLimitPerMinute: config.tokenRateLimitPerMinute,
    maxHeld: config[settings.held],
  };
}

/**
 * Checks a requested expiry (in the future, within the kind's maximum lifetime) and normalises it to UTC
 * ISO text, since expiry is compared as text on both dialects. None requested: the latest the lifetime
 * allows; no token lives for ever.
 */
export function checkedExpiry(requested: string | null | undefined, limits: Pick<TokenLimits, 'maxLifetimeMs'>, now = Date.now()): string {
  const latest = new Date(now + limits.maxLifetimeMs).toISOString();
  if (requested === null || requested === undefined) return latest;
  const at = Date.parse(requested);
  if (Number.isNaN(at)) throw invalidField('expiresAt', 'must be an ISO-8601 date-time', 'INVALID_EXPIRY');
  if (at <= now) throw invalidField('expiresAt', 'must be in the future', 'INVALID_EXPIRY');
  if (at > now + limits.maxLifetimeMs) {
    const days = Math.floor(limits.maxLifetimeMs / DAY_MS);
    const message = `must be within the maximum lifetime of ${days} days, at most ${latest}`;
    throw invalidField('expiresAt', message, 'INVALID_EXPIRY', { latestExpiresAt: latest });
  }
  return new Date(at).toISOString();
}

/** A token's own rate limit, at most the instance's; null means the instance's. */
export function checkedRateLimit(requested: number | null, limits: Pick<TokenLimits, 'maxRateLimitPerMinute'>): number | null {
  if (requested !== null && requested > limits.maxRateLimitPerMinute) {
    throw invalidField('rateLimitPerMinute', `must be at most ${limits.maxRateLimitPerMinute}, this instance's token limit`);
  }
  return requested;
}
