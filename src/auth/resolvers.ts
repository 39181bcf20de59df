import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import type { Principal } from '../authz/principal.js';
import type { TokenKind } from '../tokens/token-format.js';
import { resolveSessionToken } from '../sessions/session-resolver.js';
import { resolveWorkspaceToken } from '../access-tokens/access-token-resolver.js';
import { resolveAgentToken } from '../agents/agent-resolver.js';
import { resolvePersonalToken } from '../tokens/personal-token-resolver.js';

/**
 * Turns a well-formed token of one kind into a principal, or throws a 401 AppError.
 * Each resolver reads the database as it is now: revocation and demotion apply to the very next request.
 */
export type TokenResolver = (ctx: AppContext, tokenHash: string, request: FastifyRequest) => Promise<Principal>;

/** One resolver per token kind; a kind without one is refused as an invalid token. */
export const TOKEN_RESOLVERS: Partial<Record<TokenKind, TokenResolver>> = {
  session: resolveSessionToken,
  workspace: resolveWorkspaceToken,
  agent: resolveAgentToken,
  personal: resolvePersonalToken,
};
