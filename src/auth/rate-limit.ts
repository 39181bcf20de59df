import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import type { Principal } from '../authz/principal.js';
import { AppError } from '../errors/app-error.js';
import type { RateBudget, RateLimiter } from '../ratelimit/limiter.js';

// Each request spends from a per-minute budget; the handles are looked up by limit once per
// process rather than rebuilt for every request.
const perMinuteBudgets = new WeakMap<RateLimiter, Map<number, RateBudget>>();

function perMinute(limiter: RateLimiter, points: number): RateBudget {
  let byPoints = perMinuteBudgets.get(limiter);
  if (!byPoints) perMinuteBudgets.set(limiter, (byPoints = new Map()));
  let budget = byPoints.get(points);
  if (!budget) byPoints.set(points, (budget = limiter.budget('requests', { points, durationSeconds: 60 })));
  return budget;
}

/** Tokens are limited per token, sessions per user, and anonymous callers per IP. */
function budgetOf(ctx: AppContext, principal: Principal | null): RateBudget {
  const { config, rateLimiter } = ctx;
  switch (principal?.kind) {
    case undefined:
      return perMinute(rateLimiter, config.anonymousRateLimitPerMinute);
    case 'session':
      return perMinute(rateLimiter, config.sessionRateLimitPerMinute);
    case 'personal_token':
    case 'workspace_token':
      return perMinute(rateLimiter, principal.token.rateLimitPerMinute ?? config.tokenRateLimitPerMinute);
    case 'agent':
      return perMinute(rateLimiter, config.tokenRateLimitPerMinute);
  }
}

function budgetKeyOf(principal: Principal | null, ip: string): string {
  switch (principal?.kind) {
    case undefined:
      return `ip:${ip}`;
    case 'session':
      return `user:${principal.user.id}`;
    case 'personal_token':
    case 'workspace_token':
      return `token:${principal.token.id}`;
    case 'agent':
      return `token:${principal.agent.tokenId}`;
  }
}

/** Spends one request of the caller's budget and writes the IETF RateLimit headers; the 429 when none is left. */
export async function rateLimitRefusal(ctx: AppContext, request: FastifyRequest, reply: FastifyReply): Promise<AppError | null> {
  const { principal } = request;
  const budget = budgetOf(ctx, principal);
  const decision = await budget.consume(budgetKeyOf(principal, request.ip));
  reply.header('ratelimit-policy', budget.policyHeader);
  reply.header('ratelimit', `"default";r=${decision.remaining};t=${decision.resetSeconds}`);
  if (decision.allowed) return null;
  return new AppError('RATE_LIMITED', `Rate limit of ${decision.limit} requests per minute exceeded; retry in ${decision.resetSeconds}s`,
    { retryAfterSeconds: decision.resetSeconds }, { 'Retry-After': String(decision.resetSeconds) });
}
