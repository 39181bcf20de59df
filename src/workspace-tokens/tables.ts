import type { Role } from '../authz/roles.js';
import type { CredentialDisabledReason, RevokedReason } from '../credentials/state.js';

/** A workspace token (`tgw_`) as stored: the SHA-256 hash of its secret, never the secret. */
export interface WorkspaceTokenRow {
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
  /** JSON array of CIDRs it may be used from; null: any address. */
  allowed_ips: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  /** Null only on rows written before every token had to expire (a migration filled those in). */
  expires_at: string | null;
  disabled_at: string | null;
  /** Why it was disabled: see CredentialDisabledReason. */
  disabled_reason: CredentialDisabledReason | null;
  /** When a leak report revoked it (revoked for good, unlike disabled); null while not. */
  revoked_at: string | null;
  revoked_reason: RevokedReason | null;
  last_used_at: string | null;
  last_used_ip: string | null;
}

/** Tables owned by the workspace-tokens domain (the table keeps its public name, `workspace_access_tokens`). */
export interface WorkspaceTokenTables {
  workspace_access_tokens: WorkspaceTokenRow;
}
