import type { UsageTracker } from '../auth/usage-tracker.js';
import { flushSessionUse, resolveSessionToken } from '../sessions/session-resolver.js';
import { lastUsedFlusher } from './last-use.js';
import { AGENT_TOKENS, DELEGATED_TOKENS, PERSONAL_TOKENS, WORKSPACE_TOKENS, type ApiTokenKind, type CredentialPolicy } from './policies.js';
import { credentialResolver, type TokenResolver } from './resolver.js';
import type { TokenKind } from './token-format.js';

const API_TOKENS = [PERSONAL_TOKENS, WORKSPACE_TOKENS, AGENT_TOKENS, DELEGATED_TOKENS] as const;

const POLICY_OF: Readonly<Record<ApiTokenKind, CredentialPolicy<object>>> = {
  personal: PERSONAL_TOKENS as CredentialPolicy<object>,
  workspace: WORKSPACE_TOKENS as CredentialPolicy<object>,
  agent: AGENT_TOKENS as CredentialPolicy<object>,
  delegated: DELEGATED_TOKENS as CredentialPolicy<object>,
};

/** A kind's policy: where a delegated token's parent is resolved. */
const policyOf = (kind: ApiTokenKind) => POLICY_OF[kind];

/** One resolver per token kind, chosen by the token's kind letter (see token-format.ts). */
export const TOKEN_RESOLVERS: Readonly<Record<TokenKind, TokenResolver>> = {
  session: resolveSessionToken,
  personal: credentialResolver(PERSONAL_TOKENS, policyOf),
  workspace: credentialResolver(WORKSPACE_TOKENS, policyOf),
  agent: credentialResolver(AGENT_TOKENS, policyOf),
  delegated: credentialResolver(DELEGATED_TOKENS, policyOf),
};

/** How each kind of credential writes its batched last-use times; one entry per kind. */
export function registerUsageFlushers(usage: UsageTracker): void {
  usage.register('sessions', flushSessionUse);
  for (const policy of API_TOKENS) usage.register(policy.table, lastUsedFlusher(policy.table));
}
