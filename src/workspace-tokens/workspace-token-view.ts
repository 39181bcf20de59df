import type { Role } from '../authz/roles.js';
import { parseAllowedIps } from '../credentials/ip-allowlist.js';
import { disabledReasonOf, hasExpired, type CredentialDisabledReason, type RevokedReason } from '../credentials/state.js';
import { nowIso } from '../lib/time.js';
import type { WorkspaceTokenRow } from './tables.js';

type WorkspaceTokenStatus = 'active' | 'disabled' | 'expired' | 'revoked';

export interface WorkspaceTokenView {
  id: string;
  workspaceId: string;
  label: string;
  prefix: string;
  scope: Role;
  rateLimitPerMinute: number | null;
  /** CIDRs it may be used from; null: any address. */
  allowedIps: string[] | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  expiresAt: string | null;
  status: WorkspaceTokenStatus;
  revokedAt: string | null;
  revokedReason: RevokedReason | null;
  /** Why it is disabled; null while it is not. */
  disabledReason: CredentialDisabledReason | null;
  lastUsedAt: string | null;
}

/** Revoked wins over disabled, disabled over expired (as the refusals do). */
function workspaceTokenStatus(
  row: Pick<WorkspaceTokenRow, 'revoked_at' | 'disabled_at' | 'expires_at'>,
  now = nowIso(),
): WorkspaceTokenStatus {
  if (row.revoked_at !== null) return 'revoked';
  if (row.disabled_at !== null) return 'disabled';
  return hasExpired(row.expires_at, now) ? 'expired' : 'active';
}

export function workspaceTokenView(row: WorkspaceTokenRow, lastUsedAt: string | null = row.last_used_at): WorkspaceTokenView {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    label: row.label,
    prefix: row.token_prefix,
    // Written from a Role only (create and update take a Role).
    scope: row.scope,
    rateLimitPerMinute: row.rate_limit_per_minute,
    allowedIps: parseAllowedIps(row.allowed_ips),
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
    status: workspaceTokenStatus(row),
    revokedAt: row.revoked_at,
    revokedReason: row.revoked_reason,
    disabledReason: disabledReasonOf(row),
    lastUsedAt,
  };
}
