import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import type { AuthUser, Principal, PrincipalKind } from '../authz/principal.js';
import { AppError } from '../errors/app-error.js';
import { sendError } from '../errors/handler.js';
import type { ErrorCode } from '../errors/catalogue.js';
import { hashToken, parseToken } from '../tokens/token-format.js';
import { TOKEN_RESOLVERS } from './resolvers.js';
import { applyRateLimit } from './rate-limit.js';

/**
 * Every route declares who may call it:
 * - `public`: anyone; credentials, when sent, are still checked;
 * - `session`: a signed-in browser or CLI session only;
 * - `user`: a session or a personal access token (acts on the user's own account);
 * - `any`: a session or any kind of token.
 */
export type AuthRequirement = 'public' | 'session' | 'user' | 'any';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthRequirement;
    /** The 403 code a token gets on a `session` route (default SESSION_REQUIRED). */
    refuseTokensWith?: ErrorCode;
    /** false: exempt from rate limiting (health probes). */
    rateLimit?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export const SESSION_COOKIE = 'tg_session';

const ALLOWED: Record<Exclude<AuthRequirement, 'public'>, readonly PrincipalKind[]> = {
  session: ['session'],
  user: ['session', 'personal_token'],
  any: ['session', 'personal_token', 'workspace_token', 'agent'],
};

function credentialOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new AppError('INVALID_TOKEN', 'The Authorization header must be "Bearer <token>"');
    return match[1]!;
  }
  // Cookies carry browser sessions only; API tokens are accepted in the Authorization header alone.
  const cookie = request.cookies[SESSION_COOKIE];
  return cookie && parseToken(cookie) === 'session' ? cookie : null;
}

async function resolvePrincipal(ctx: AppContext, request: FastifyRequest): Promise<Principal | null> {
  const token = credentialOf(request);
  if (token === null) return null;
  const kind = parseToken(token);
  const resolver = kind ? TOKEN_RESOLVERS[kind] : undefined;
  // A malformed token or a bad checksum is refused here, before any storage is touched.
  if (!resolver) throw new AppError('INVALID_TOKEN', 'The token is malformed or unknown');
  return resolver(ctx, hashToken(token), request);
}

function refuseKind(principal: Principal, requirement: AuthRequirement, refusal: ErrorCode | undefined): AppError {
  const who = principal.kind === 'agent' ? 'Agent tokens' : principal.kind === 'workspace_token' ? 'Workspace access tokens' : 'Tokens';
  if (requirement === 'session') {
    return refusal === 'TOKEN_CANNOT_MANAGE_TOKENS'
      ? new AppError(refusal, `${who} cannot manage tokens: sign in with a session to do this`)
      : new AppError(refusal ?? 'SESSION_REQUIRED', `${who} cannot use this route: it needs a signed-in session`);
  }
  return new AppError(principal.kind === 'agent' ? 'AGENT_NOT_ALLOWED' : 'FORBIDDEN', `${who} cannot use this route: it acts on a user's own account`);
}

const UNAUTHENTICATED = () => new AppError('UNAUTHENTICATED', 'Sign in, or send an API token as "Authorization: Bearer <token>"');

/** Resolves the caller; on a public route bad credentials count as none (a stale cookie must not block sign-in). */
async function principalFor(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, requirement: AuthRequirement) {
  try {
    return await resolvePrincipal(ctx, request);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    // A session cookie that no longer works is cleared, so the browser stops sending it.
    if (request.headers.authorization === undefined) reply.clearCookie(SESSION_COOKIE, { path: '/' });
    if (requirement !== 'public') throw err;
    return null;
  }
}

/** Authenticates every request according to its route's declared requirement, and rate-limits it. */
export function registerAuthentication(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('principal', null);

  app.addHook('onRoute', (route) => {
    if (!route.config?.auth && !route.url.startsWith('/docs')) {
      throw new Error(`Route ${route.method} ${route.url} must declare config.auth`);
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    try {
      await authenticate(ctx, request, reply);
    } catch (err) {
      // Answered here rather than through Fastify's error path: refusing a bad token is the hot path of an attack.
      if (err instanceof AppError) return sendError(reply, err);
      throw err;
    }
  });
}

/** Establishes `request.principal` as the route requires, spending the caller's rate budget. */
async function authenticate(ctx: AppContext, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const config = request.routeOptions.config;
  const requirement = config.auth ?? 'public';
  const limited = config.rateLimit !== false;
  let principal: Principal | null;
  try {
    principal = await principalFor(ctx, request, reply, requirement);
  } catch (err) {
    // Refused credentials spend the caller's IP budget: a flood of made-up tokens ends in 429.
    if (limited) await applyRateLimit(ctx, request, reply);
    throw err;
  }
  request.principal = principal;
  if (limited) await applyRateLimit(ctx, request, reply);
  if (requirement === 'public') return;
  if (!principal) throw UNAUTHENTICATED();
  if (!ALLOWED[requirement].includes(principal.kind)) throw refuseKind(principal, requirement, config.refuseTokensWith);
}

/** The authenticated principal of a route that requires one. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw UNAUTHENTICATED();
  return request.principal;
}

/** The signed-in user behind a session or personal token; other principals are refused. */
export function userOfRequest(request: FastifyRequest): AuthUser {
  const principal = principalOf(request);
  if (principal.kind === 'session' || principal.kind === 'personal_token') return principal.user;
  throw new AppError('FORBIDDEN', 'This route acts on a user account; workspace and agent tokens have none');
}
