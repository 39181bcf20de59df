import type { Actor } from '../authz/principal.js';
import type { CredentialDisabledReason, RevokedReason } from '../credentials/state.js';

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
  /** JSON array of CIDRs its tokens may be used from; null: any address. */
  allowed_ips: string | null;
}

interface AgentTokenRow {
  id: string;
  agent_id: string;
  token_hash: string;
  token_prefix: string;
  created_at: string;
  /** null while current; a time (possibly in the future, during a reissue's grace) when it stops working. */
  revoked_at: string | null;
  /** Why it was revoked: `leaked` (a leak report), null otherwise. */
  revoked_reason: RevokedReason | null;
  /** When it stops working whatever else happens (TASKGATE_AGENT_TOKEN_MAX_LIFETIME after issue). */
  expires_at: string | null;
  last_used_at: string | null;
  last_used_ip: string | null;
}

/** Tables owned by the agents domain: agents and their tokens. */
export interface AgentTables {
  agents: AgentRow;
  agent_tokens: AgentTokenRow;
}
