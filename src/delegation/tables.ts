import type { RevokedReason } from '../credentials/state.js';

/** The kinds a delegation chain starts from: its root, whose principal every link narrows. */
export type DelegationRootKind = 'personal' | 'workspace' | 'agent';
/** A link's parent: the root, or another delegated token. */
export type DelegationParentKind = DelegationRootKind | 'delegated';

/**
 * A delegated token (`tgd_`) as stored: only the SHA-256 of its secret. `parent_token_hash` is the hash of the
 * secret its parent was used with when minting it: resolving the child resolves the parent by it, through the
 * parent kind's policy. For an agent root, `root_id` (and a first link's `parent_id`) is the agent.
 */
export interface DelegatedTokenRow {
  id: string;
  token_hash: string;
  /** The first characters of the secret (`tgd_AbCdEf`), for masked display. */
  display_prefix: string;
  name: string;
  parent_kind: DelegationParentKind;
  parent_id: string;
  parent_token_hash: string;
  root_kind: DelegationRootKind;
  root_id: string;
  /** The root's workspace (workspace and agent roots); null for a personal root. */
  workspace_id: string | null;
  /** The user behind the root (a personal token's owner, a workspace token's or agent's creator), when there is one. */
  user_id: string | null;
  /** JSON array of `{ kind, id }`, root first, this token last: what audit entries name as its chain. */
  chain: string;
  /** 1 for a child of a root token, at most MAX_DELEGATION_DEPTH. */
  depth: number;
  /** JSON array of permission names (asked for, else its delegated parent's); null: whatever its root holds. */
  permissions: string | null;
  /** JSON array of project ids (asked for, its task's, else its delegated parent's); null: whatever its root reaches. */
  project_ids: string | null;
  /** The one task it may act on (asked for, else its parent's); null: any. */
  task_id: string | null;
  expires_at: string;
  created_at: string;
  revoked_at: string | null;
  /** Why it was revoked: `leaked` (a leak report), null by hand or with an ancestor. */
  revoked_reason: RevokedReason | null;
  last_used_at: string | null;
  last_used_ip: string | null;
}

/** Tables owned by the delegation domain. */
export interface DelegationTables {
  delegated_tokens: DelegatedTokenRow;
}
