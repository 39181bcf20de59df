import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import type { Principal } from '../authz/principal.js';
import { AppError } from '../errors/app-error.js';
import type { RateBudget, RateDecision } from '../ratelimit/limiter.js';

/**
 * A budget of one minute's window in a namespace. The limiter hands out the same budget for the same
 * namespace and window (ADR 0007), so asking per request costs a key and a map look-up, which bench:ab
 * measured as nothing against a request (bench/RESULTS.md).
 */
function perMinute(ctx: AppContext, namespace: string, points: number): RateBudget {
  return ctx.rateLimiter.budget(namespace, { points, durationSeconds: 60 });
}

/** A token's own per-minute limit: at most the instance's token limit, which is also the default. */
function tokenLimitOf(ctx: AppContext, principal: Principal): number | null {
  const ceiling = ctx.config.tokenRateLimitPerMinute;
  switch (principal.kind) {
    case 'session':
      return null;
    case 'personal_token':
    case 'workspace_token':
      return Math.min(principal.token.rateLimitPerMinute ?? ceiling, ceiling);
    case 'agent':
      return ceiling;
  }
}

/**
 * Every token counts in one window shape, the instance's token limit, whatever its own limit: the
 * counter's key is the token alone, so changing a token's limit keeps the requests it already made in
 * this minute, and they count against the new limit.
 */
async function spendTokenRequest(ctx: AppContext, limit: number, key: string): Promise<RateDecision> {
  const ceiling = ctx.config.tokenRateLimitPerMinute;
  const counted = await perMinute(ctx, 'token-requests', ceiling).consume(key);
  // remaining = ceiling - used while the shared count allows the request; a refusal there means used > ceiling >= limit.
  const used = ceiling - counted.remaining;
  const allowed = counted.allowed && used <= limit;
  return { allowed, limit, remaining: allowed ? limit - used : 0, resetSeconds: counted.resetSeconds };
}

function budgetKeyOf(principal: Principal | null, ip: string): string {
  // A delegated token spends a budget of its own (its root's per-minute limit), not its root's.
  if (principal && principal.kind !== 'session' && principal.delegation) return `token:${principal.delegation.tokenId}`;
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
  const key = budgetKeyOf(principal, request.ip);
  const tokenLimit = principal === null ? null : tokenLimitOf(ctx, principal);
  let decision: RateDecision;
  if (tokenLimit === null) {
    const budget =
      principal === null
        ? perMinute(ctx, 'requests', ctx.config.anonymousRateLimitPerMinute)
        : perMinute(ctx, 'requests', ctx.config.sessionRateLimitPerMinute);
    decision = await budget.consume(key);
    reply.header('ratelimit-policy', budget.policyHeader);
  } else {
    decision = await spendTokenRequest(ctx, tokenLimit, key);
    reply.header('ratelimit-policy', `"default";q=${tokenLimit};w=60`);
  }
  reply.header('ratelimit', `"default";r=${decision.remaining};t=${decision.resetSeconds}`);
  if (decision.allowed) return null;
  return new AppError(
    'RATE_LIMITED',
    `Rate limit of ${decision.limit} requests per minute exceeded; retry in ${decision.resetSeconds}s`,
    { retryAfterSeconds: decision.resetSeconds },
    { 'Retry-After': String(decision.resetSeconds) },
  );
}
