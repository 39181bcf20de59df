import type { Principal } from '../authz/principal.js';
import type { Db } from '../db/database.js';
import { safeEqual } from '../lib/secrets.js';
import { agentTokenPrincipal, findAgentTokensByHash, type AgentTokenLookupRow } from '../agents/agent-token-lookup.js';
import { findPersonalTokensByHash, personalTokenPrincipal, type PersonalTokenLookupRow } from '../personal-tokens/personal-token-lookup.js';
import {
  delegatedTokenPrincipal,
  findDelegatedTokensByHash,
  parseChain,
  type DelegatedTokenLookupRow,
} from '../delegation/delegated-token-lookup.js';
import {
  findWorkspaceTokensByHash,
  workspaceTokenPrincipal,
  type WorkspaceTokenLookupRow,
} from '../workspace-tokens/workspace-token-lookup.js';
import type { TokenTable } from './last-use.js';
import type { LimitSettings } from './limits.js';
import type { RefusalAudit, RefusedUse } from './refused-use-audit.js';
import { disabledReasonOf, type CredentialState, type RefusalNouns } from './state.js';
import type { TokenKind } from './token-format.js';

/**
 * What one kind of API token is, as data: the kernel (resolver.ts, state.ts, refused-use-audit.ts,
 * last-use.ts, limits.ts, plan.ts, caps.ts) does the rest the same way for every kind.
 *
 * | kind | table = usage kind | refused use audited as | lifetime / cap setting | plan rule |
 * |---|---|---|---|---|
 * | personal `tgp_` | personal_access_tokens | personal_token | tokenMaxLifetimeMs / maxTokensPerUser | an owner workspace |
 * | workspace `tgw_` | workspace_access_tokens | access_token | workspaceTokenMaxLifetimeMs / maxTokensPerWorkspace | its workspace |
 * | agent `tga_` | agent_tokens | agent_token | agentTokenMaxLifetimeMs / maxTokensPerWorkspace | its workspace |
 * | delegated `tgd_` | delegated_tokens | delegated_token | 24 h, within its parent's expiry / none | its root's |
 *
 * A delegated token has a parent (`parentOf`): the resolver resolves the parent first, through the parent kind's
 * own policy, and refuses the child when the parent is refused; its principal is the parent's, narrowed.
 * None may never expire; refusals name each by its `nouns`; docs/ARCHITECTURE.md has the same table.
 *
 * Sessions (`tgs_`) are no API token: they are refused with their own codes (SESSION_EXPIRED, sign in
 * again), never audited, and have no limits; sessions/session-resolver.ts resolves them.
 */
export interface CredentialPolicy<Row extends object> {
  kind: ApiTokenKind;
  /** Where its secrets' hashes and last uses are stored; last uses are buffered under this name too. */
  table: TokenTable;
  nouns: RefusalNouns;
  audit: RefusalAudit;
  /** Its rows with this hash: one indexed point read, at most one row. */
  find(db: Db, tokenHash: string): Promise<readonly Row[]>;
  /** True when a user behind it is blocked: refused with USER_BLOCKED before its state is looked at. */
  ownerBlocked?(row: Row): boolean;
  stateOf(row: Row, tokenHash: string): CredentialState;
  /** Its IP allowlist as stored (JSON text of CIDRs; an agent token's is its agent's); null: any address. */
  allowedIpsOf(row: Row): string | null;
  /** Who its refused uses are recorded against. */
  refusedUseOf(row: Row): RefusedUse;
  /** Its row in `table`: where its last use is buffered and where a leak report revokes it (token-leaks/). */
  usageIdOf(row: Row): string;
  /** The credential it was derived from (a delegated token's parent), found by the secret that parent was used with. */
  parentOf?(row: Row): { kind: ApiTokenKind; tokenHash: string };
  /** `parent`: the parent's principal when `parentOf` names one, else null. */
  principalOf(row: Row, parent: Principal | null): Principal;
}

export type ApiTokenKind = Exclude<TokenKind, 'session'>;

/** A kind issued by its own routes, held to the instance's limits and plans (a delegated token is held to its parent's). */
export interface IssuedCredentialPolicy<Row extends object> extends CredentialPolicy<Row> {
  /** Which configuration settings hold its maximum lifetime and how many one holder may keep. */
  limits: LimitSettings;
  /** Every kind expires today (a missing expiry means the maximum lifetime); `true` would need checkedExpiry to allow none. */
  mayNeverExpire: false;
  /** Whose plan must include API tokens for it to be issued (plan.ts), and where it acts (authz). */
  plan: 'an owner workspace' | 'its workspace';
}

export const PERSONAL_TOKENS: IssuedCredentialPolicy<PersonalTokenLookupRow> = {
  kind: 'personal',
  table: 'personal_access_tokens',
  nouns: { token: 'personal access token', disabled: 'personal access token' },
  audit: { targetType: 'personal_token', refusedAction: 'token.use_refused' },
  limits: { lifetime: 'tokenMaxLifetimeMs', held: 'maxTokensPerUser' },
  mayNeverExpire: false,
  plan: 'an owner workspace',
  find: findPersonalTokensByHash,
  ownerBlocked: (row) => row.blocked_at !== null,
  stateOf: (row, tokenHash) => ({
    revokedAt: row.revoked_at,
    disabledReason: null,
    expiresAt: row.expires_at,
    // A token never rotated can only have been found by its current secret. Otherwise, which one
    // matched is told in constant time.
    replacedSecretValidUntil:
      row.previous_token_hash === null || safeEqual(row.token_hash, tokenHash) ? undefined : row.previous_valid_until,
  }),
  allowedIpsOf: (row) => row.allowed_ips,
  refusedUseOf: (row) => ({ actor: { type: 'user', id: row.id }, userId: row.id, workspaceId: null, targetId: row.token_id }),
  usageIdOf: (row) => row.token_id,
  principalOf: personalTokenPrincipal,
};

export const WORKSPACE_TOKENS: IssuedCredentialPolicy<WorkspaceTokenLookupRow> = {
  kind: 'workspace',
  table: 'workspace_access_tokens',
  nouns: { token: 'workspace access token', disabled: 'workspace access token' },
  audit: { targetType: 'access_token', refusedAction: 'access_token.use_refused' },
  limits: { lifetime: 'workspaceTokenMaxLifetimeMs', held: 'maxTokensPerWorkspace' },
  mayNeverExpire: false,
  plan: 'its workspace',
  find: findWorkspaceTokensByHash,
  stateOf: (row) => ({ revokedAt: row.revoked_at, disabledReason: disabledReasonOf(row), expiresAt: row.expires_at }),
  allowedIpsOf: (row) => row.allowed_ips,
  refusedUseOf: (row) => ({
    actor: { type: 'workspace_token', id: row.id },
    userId: row.created_by,
    workspaceId: row.workspace_id,
    targetId: row.id,
  }),
  usageIdOf: (row) => row.id,
  principalOf: workspaceTokenPrincipal,
};

export const AGENT_TOKENS: IssuedCredentialPolicy<AgentTokenLookupRow> = {
  kind: 'agent',
  table: 'agent_tokens',
  // Agents, not their tokens, are disabled.
  nouns: { token: 'agent token', disabled: 'agent' },
  audit: { targetType: 'agent_token', refusedAction: 'agent_token.use_refused' },
  limits: { lifetime: 'agentTokenMaxLifetimeMs', held: 'maxTokensPerWorkspace' },
  mayNeverExpire: false,
  plan: 'its workspace',
  find: findAgentTokensByHash,
  stateOf: (row) => ({ revokedAt: row.revoked_at, disabledReason: disabledReasonOf(row), expiresAt: row.expires_at }),
  allowedIpsOf: (row) => row.allowed_ips,
  refusedUseOf: (row) => ({
    actor: { type: 'agent', id: row.id },
    userId: row.created_by_type === 'user' ? row.created_by_id : null,
    workspaceId: row.workspace_id,
    targetId: row.token_id,
  }),
  usageIdOf: (row) => row.token_id,
  principalOf: agentTokenPrincipal,
};

/** Who a delegated token acts as: its root's actor (the chain is in its audit entries). */
function delegatedActor(row: DelegatedTokenLookupRow): RefusedUse['actor'] {
  switch (row.root_kind) {
    case 'personal':
      return { type: 'user', id: row.user_id ?? row.root_id };
    case 'workspace':
      return { type: 'workspace_token', id: row.root_id };
    case 'agent':
      return { type: 'agent', id: row.root_id };
  }
}

export const DELEGATED_TOKENS: CredentialPolicy<DelegatedTokenLookupRow> = {
  kind: 'delegated',
  table: 'delegated_tokens',
  nouns: { token: 'delegated token', disabled: 'delegated token' },
  audit: { targetType: 'delegated_token', refusedAction: 'delegated_token.use_refused' },
  find: findDelegatedTokensByHash,
  // Its root's owner, agent, allowlist and state are checked when its parent is resolved.
  stateOf: (row) => ({ revokedAt: row.revoked_at, disabledReason: null, expiresAt: row.expires_at }),
  allowedIpsOf: () => null,
  refusedUseOf: (row) => ({
    actor: delegatedActor(row),
    userId: row.user_id,
    workspaceId: row.workspace_id,
    targetId: row.id,
    chain: parseChain(row.chain),
  }),
  usageIdOf: (row) => row.id,
  parentOf: (row) => ({ kind: row.parent_kind, tokenHash: row.parent_token_hash }),
  principalOf: delegatedTokenPrincipal,
};
