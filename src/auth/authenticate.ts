import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { credentialExpiry, type AuthUser, type Principal, type PrincipalKind } from '../authz/principal.js';
import { AppError, sharedRefusal } from '../errors/app-error.js';
import { sendError } from '../errors/handler.js';
import type { ErrorCode } from '../errors/catalogue.js';
import { hashToken, parseToken } from '../credentials/token-format.js';
import { TOKEN_RESOLVERS } from '../credentials/registry.js';
import type { TokenResolver } from '../credentials/resolver.js';
import { rateLimitRefusal } from './rate-limit.js';
import { crossSiteRefusal } from './same-origin.js';
import type { AuthRequirement } from './auth-requirement.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthRequirement;
    /** The 403 code a token gets on a `session` route (default SESSION_REQUIRED). */
    refuseTokensWith?: ErrorCode;
    /** false: exempt from rate limiting (health probes). */
    rateLimit?: boolean;
    /**
     * The `WWW-Authenticate` challenge of this route's 401s, when it must say more than `Bearer` (the
     * MCP endpoint points clients at its protected-resource metadata). `credentialSent`: the request
     * carried a credential (then the challenge names `invalid_token`, RFC 6750 §3.1).
     */
    bearerChallenge?: (request: FastifyRequest, credentialSent: boolean) => string;
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
  token: ['personal_token', 'workspace_token', 'agent'],
};

const MALFORMED_HEADER = sharedRefusal(new AppError('INVALID_TOKEN', 'The Authorization header must be "Bearer <token>"'));
const MALFORMED_TOKEN = sharedRefusal(new AppError('INVALID_TOKEN', 'The token is malformed or unknown'));
const UNAUTHENTICATED = sharedRefusal(new AppError('UNAUTHENTICATED', 'Sign in, or send an API token as "Authorization: Bearer <token>"'));
const TOKEN_MISSING = sharedRefusal(
  new AppError('UNAUTHENTICATED', 'Send an API token (agent, personal or workspace access token) as "Authorization: Bearer <token>"'),
);
const TOKEN_REQUIRED = sharedRefusal(
  new AppError(
    'TOKEN_REQUIRED',
    'This endpoint takes an API token (agent, personal or workspace access token) as "Authorization: Bearer <token>"; ' +
      'sessions are not accepted',
  ),
);

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The token of a `Bearer <token>` header, or null when the header has another shape. */
function bearerToken(header: string): string | null {
  // The usual spelling, one space and nothing after the token, is read without a regular expression.
  if (header.startsWith('Bearer ') && header.length > 7 && !/\s/.test(header.slice(7))) return header.slice(7);
  const match = BEARER.exec(header);
  return match ? match[1]! : null;
}

interface Credential {
  token: string;
  resolver: TokenResolver;
}

/**
 * The credential a request carries, checked for shape and checksum without touching storage: null
 * when there is none, a refusal when it cannot be a Taskgate token.
 */
function credentialOf(request: FastifyRequest, requirement: AuthRequirement): Credential | AppError | null {
  const header = request.headers.authorization;
  let token: string;
  if (header !== undefined) {
    const bearer = bearerToken(header);
    if (bearer === null) return MALFORMED_HEADER;
    token = bearer;
  } else if (requirement === 'token') {
    return null;
  } else {
    // Cookies carry browser sessions only; API tokens are accepted in the Authorization header alone.
    const cookie = request.cookies[SESSION_COOKIE];
    if (!cookie || parseToken(cookie) !== 'session') return null;
    token = cookie;
  }
  const kind = parseToken(token);
  const resolver = kind ? TOKEN_RESOLVERS[kind] : undefined;
  return resolver ? { token, resolver } : MALFORMED_TOKEN;
}

/** The caller behind a well-formed credential, or the refusal of that credential. */
async function principalOrRefusal(ctx: AppContext, credential: Credential, request: FastifyRequest): Promise<Principal | AppError> {
  const settling = ctx.reads.settled();
  if (settling) await settling;
  try {
    return await credential.resolver(ctx, hashToken(credential.token), request);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
}

function refuseKind(principal: Principal, requirement: AuthRequirement, refusal: ErrorCode | undefined): AppError {
  if (requirement === 'token') return TOKEN_REQUIRED;
  const who = principal.kind === 'agent' ? 'Agent tokens' : principal.kind === 'workspace_token' ? 'Workspace access tokens' : 'Tokens';
  if (requirement === 'session') {
    return refusal === 'TOKEN_CANNOT_MANAGE_TOKENS'
      ? new AppError(refusal, `${who} cannot manage tokens: sign in with a session to do this`)
      : new AppError(refusal ?? 'SESSION_REQUIRED', `${who} cannot use this route: it needs a signed-in session`);
  }
  const agent = principal.kind === 'agent';
  return new AppError(agent ? 'AGENT_NOT_ALLOWED' : 'FORBIDDEN', `${who} cannot use this route: it acts on a user's own account`, {
    refusedBy: agent ? 'agent_matrix' : 'token_permissions',
  });
}

/** Authenticates every request according to its route's declared requirement, and rate-limits it. */
export function registerAuthentication(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('principal', null);

  app.addHook('onRoute', (route) => {
    if (!route.config?.auth && !route.url.startsWith('/docs')) {
      throw new Error(`Route ${route.method} ${route.url} must declare config.auth`);
    }
  });

  // Refusals come back as values and are answered here rather than thrown through Fastify's error
  // path: refusing a bad token is the hot path of an attack.
  // A callback hook rather than an async one, so that a request with nothing to authenticate (a probe)
  // costs no promise.
  app.addHook('onRequest', (request, reply, done) => {
    // Whatever was cached before this request arrived is checked against the database again.
    ctx.reads.requestArrived();
    if (nothingToAuthenticate(request)) return done();
    authenticate(ctx, request, reply).then((refusal) => {
      if (!refusal) return done();
      const challenge = request.routeOptions.config.bearerChallenge;
      if (challenge && refusal.statusCode === 401) reply.header('www-authenticate', challenge(request, refusal.code !== 'UNAUTHENTICATED'));
      sendError(reply, refusal);
    }, done);
  });
}

/**
 * A read of a public route exempt from rate limits (the health and readiness probes) that carries no
 * credential: `authenticate` would leave the principal null and refuse nothing, so it is not asked.
 */
function nothingToAuthenticate(request: FastifyRequest): boolean {
  const config = request.routeOptions.config;
  return (
    config.rateLimit === false &&
    (config.auth ?? 'public') === 'public' &&
    request.headers.authorization === undefined &&
    request.cookies[SESSION_COOKIE] === undefined &&
    SAFE_METHODS.has(request.method)
  );
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * Establishes `request.principal` as the route requires, spending the caller's rate budget; returns
 * why the request is refused, or null.
 */
async function authenticate(ctx: AppContext, request: FastifyRequest, reply: FastifyReply): Promise<AppError | null> {
  const config = request.routeOptions.config;
  const requirement = config.auth ?? 'public';
  // A write another site's page made the browser send is refused before anything else is looked at.
  // (An unknown path keeps its 404: there is nothing there to protect.)
  const cookieRead = requirement !== 'token' && request.cookies[SESSION_COOKIE] !== undefined;
  const crossSite = request.is404 ? null : crossSiteRefusal(request, requirement, cookieRead, ctx.config.publicOrigin);
  if (crossSite) return crossSite;
  const limited = config.rateLimit !== false;
  const credential = credentialOf(request, requirement);
  // Only a credential that could be real waits for storage; a malformed one is refused on the spot.
  const resolved = credential === null || credential instanceof AppError ? credential : await principalOrRefusal(ctx, credential, request);
  if (resolved instanceof AppError) {
    // A session cookie that no longer works is cleared, so the browser stops sending it.
    if (request.headers.authorization === undefined) reply.clearCookie(SESSION_COOKIE, { path: '/' });
    // On a public route bad credentials count as none (a stale cookie must not block sign-in).
    // Elsewhere they spend the caller's IP budget: a flood of made-up tokens ends in 429.
    if (requirement !== 'public') return (limited ? await rateLimitRefusal(ctx, request, reply) : null) ?? resolved;
  }
  const principal = resolved instanceof AppError ? null : resolved;
  request.principal = principal;
  // Scripts and the CLI learn when their credential stops working from any answer, as GitHub does.
  const expiry = principal === null ? null : credentialExpiry(principal);
  if (expiry !== null) reply.header('taskgate-token-expires', expiry);
  const overLimit = limited ? await rateLimitRefusal(ctx, request, reply) : null;
  if (overLimit) return overLimit;
  if (requirement === 'public') return null;
  if (!principal) return requirement === 'token' ? TOKEN_MISSING : UNAUTHENTICATED;
  if (!ALLOWED[requirement].includes(principal.kind)) return refuseKind(principal, requirement, config.refuseTokensWith);
  return null;
}

/**
 * The caller behind the request's credential as the database holds it now, or why it no longer works.
 * A long-lived answer (the event stream) asks again while it runs; like authenticating, it only reads.
 */
export async function principalNow(ctx: AppContext, request: FastifyRequest): Promise<Principal | AppError> {
  const credential = credentialOf(request, request.routeOptions.config.auth ?? 'public');
  if (credential === null) return UNAUTHENTICATED;
  return credential instanceof AppError ? credential : principalOrRefusal(ctx, credential, request);
}

/** The authenticated principal of a route that requires one. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw UNAUTHENTICATED;
  return request.principal;
}

/** The signed-in user behind a session or personal token; other principals are refused. */
export function userOfRequest(request: FastifyRequest): AuthUser {
  const principal = principalOf(request);
  if (principal.kind === 'session' || principal.kind === 'personal_token') return principal.user;
  throw new AppError('FORBIDDEN', 'This route acts on a user account; workspace and agent tokens have none', {
    refusedBy: principal.kind === 'agent' ? 'agent_matrix' : 'token_permissions',
  });
}
