import type { Role } from '../authz/roles.js';
import type { Actor } from '../authz/principal.js';
/** Tables owned by the agents domain: workspace access tokens, agents and their tokens. */

export interface WorkspaceAccessTokenRow {
  id: string;
  workspace_id: string;
  label: string;
  /** SHA-256 hex of the token; the token itself is never stored. */
  token_hash: string;
  /** The first characters of the token, for masked display. */
  token_prefix: string;
  /** A role name: the token acts with exactly that role's permissions. */
  scope: Role;
  rate_limit_per_minute: number | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  /** Null only on rows written before every token had to expire (a migration filled those in). */
  expires_at: string | null;
  disabled_at: string | null;
  /** Why it was disabled: see CredentialDisabledReason. */
  disabled_reason: CredentialDisabledReason | null;
  last_used_at: string | null;
  last_used_ip: string | null;
}

/**
 * Why a workspace credential is disabled: by hand (`manual`), or because the member who created it
 * left or was removed from the workspace (`creator_removed`) or was blocked on the instance (`creator_blocked`).
 */
export type CredentialDisabledReason = 'manual' | 'creator_removed' | 'creator_blocked';

export interface AgentRow {
  id: string;
  workspace_id: string;
  name: string;
  description: string;
  created_by_type: Actor['type'];
  created_by_id: string;
  created_at: string;
  updated_at: string;
  disabled_at: string | null;
  disabled_reason: CredentialDisabledReason | null;
}

export interface AgentTokenRow {
  id: string;
  agent_id: string;
  token_hash: string;
  token_prefix: string;
  created_at: string;
  /** null while current; a time (possibly in the future, during a reissue's grace) when it stops working. */
  revoked_at: string | null;
  /** When it stops working whatever else happens (TASKGATE_AGENT_TOKEN_MAX_LIFETIME after issue). */
  expires_at: string | null;
  last_used_at: string | null;
  last_used_ip: string | null;
}

export interface AgentTables {
  workspace_access_tokens: WorkspaceAccessTokenRow;
  agents: AgentRow;
  agent_tokens: AgentTokenRow;
}
