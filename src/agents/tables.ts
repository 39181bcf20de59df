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
  expires_at: string | null;
  disabled_at: string | null;
  last_used_at: string | null;
  last_used_ip: string | null;
}

export interface AgentRow {
  id: string;
  workspace_id: string;
  name: string;
  description: string;
  created_by_type: Actor['type'];
  created_by_id: string;
  created_at: string;
  updated_at: string;
}

export interface AgentTokenRow {
  id: string;
  agent_id: string;
  token_hash: string;
  token_prefix: string;
  created_at: string;
  /** null while current; a time (possibly in the future, during a reissue's grace) when it stops working. */
  revoked_at: string | null;
  last_used_at: string | null;
  last_used_ip: string | null;
}

export interface AgentTables {
  workspace_access_tokens: WorkspaceAccessTokenRow;
  agents: AgentRow;
  agent_tokens: AgentTokenRow;
}
