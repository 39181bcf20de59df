import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import type { Principal } from '../authz/principal.js';
import { AppError } from '../errors/app-error.js';
import type { RateWindow } from '../ratelimit/limiter.js';

interface Budget {
  key: string;
  window: RateWindow;
}

function perMinute(points: number): RateWindow {
  return { points, durationSeconds: 60 };
}

/** Tokens are limited per token, sessions per user, and anonymous callers per IP. */
function budgetOf(ctx: AppContext, principal: Principal | null, ip: string): Budget {
  const { config } = ctx;
  switch (principal?.kind) {
    case undefined:
      return { key: `ip:${ip}`, window: perMinute(config.anonymousRateLimitPerMinute) };
    case 'session':
      return { key: `user:${principal.user.id}`, window: perMinute(config.sessionRateLimitPerMinute) };
    case 'personal_token':
    case 'workspace_token':
      return { key: `token:${principal.token.id}`, window: perMinute(principal.token.rateLimitPerMinute ?? config.tokenRateLimitPerMinute) };
    case 'agent':
      return { key: `token:${principal.agent.tokenId}`, window: perMinute(config.tokenRateLimitPerMinute) };
  }
}

/** Spends one request of the caller's budget and writes the IETF RateLimit headers; the 429 when none is left. */
export async function rateLimitRefusal(ctx: AppContext, request: FastifyRequest, reply: FastifyReply): Promise<AppError | null> {
  const { key, window } = budgetOf(ctx, request.principal, request.ip);
  const decision = await ctx.rateLimiter.consume('requests', key, window);
  reply.header('RateLimit-Policy', `"default";q=${decision.limit};w=${window.durationSeconds}`);
  reply.header('RateLimit', `"default";r=${decision.remaining};t=${decision.resetSeconds}`);
  if (decision.allowed) return null;
  return new AppError('RATE_LIMITED', `Rate limit of ${decision.limit} requests per minute exceeded; retry in ${decision.resetSeconds}s`,
    { retryAfterSeconds: decision.resetSeconds }, { 'Retry-After': String(decision.resetSeconds) });
}
