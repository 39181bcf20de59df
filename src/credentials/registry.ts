import type { UsageTracker } from '../auth/usage-tracker.js';
import { flushSessionUse, resolveSessionToken } from '../sessions/session-resolver.js';
import { lastUsedFlusher } from './last-use.js';
import { AGENT_TOKENS, PERSONAL_TOKENS, WORKSPACE_TOKENS } from './policies.js';
import { credentialResolver, type TokenResolver } from './resolver.js';
import type { TokenKind } from './token-format.js';

const API_TOKENS = [PERSONAL_TOKENS, WORKSPACE_TOKENS, AGENT_TOKENS] as const;

/** One resolver per token kind, chosen by the token's kind letter (see token-format.ts). */
export const TOKEN_RESOLVERS: Readonly<Record<TokenKind, TokenResolver>> = {
  session: resolveSessionToken,
  personal: credentialResolver(PERSONAL_TOKENS),
  workspace: credentialResolver(WORKSPACE_TOKENS),
  agent: credentialResolver(AGENT_TOKENS),
};

/** How each kind of credential writes its batched last-use times; one entry per kind. */
export function registerUsageFlushers(usage: UsageTracker): void {
  usage.register('sessions', flushSessionUse);
  for (const policy of API_TOKENS) usage.register(policy.table, lastUsedFlusher(policy.table));
}
