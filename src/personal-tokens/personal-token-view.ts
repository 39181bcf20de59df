import { isPermission, type Permission } from '../authz/permissions.js';
import { parseAllowedIps } from '../credentials/ip-allowlist.js';
import type { LastUse } from '../credentials/last-use.js';
import { hasExpired, type RevokedReason } from '../credentials/state.js';
import type { PersonalAccessTokenRow } from './tables.js';
import { nowIso } from '../lib/time.js';

export type TokenStatus = 'active' | 'expired' | 'revoked';

export interface PersonalTokenView {
  id: string;
  name: string;
  /** The first characters of the secret, enough to recognise it: `tgp_AbCdEf`. */
  prefix: string;
  permissions: Permission[] | null;
  projectIds: string[] | null;
  rateLimitPerMinute: number | null;
  /** CIDRs it may be used from; null: any address. */
  allowedIps: string[] | null;
  status: TokenStatus;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  revokedAt: string | null;
  revokedReason: RevokedReason | null;
  /** Until when the secret replaced by the last rotation still works; null when it no longer does. */
  previousSecretValidUntil: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
}

export function tokenStatus(row: Pick<PersonalAccessTokenRow, 'revoked_at' | 'expires_at'>, now: string): TokenStatus {
  if (row.revoked_at !== null) return 'revoked';
  return hasExpired(row.expires_at, now) ? 'expired' : 'active';
}

/** A stored JSON list of strings; null stays null ("no restriction"). */
export function parseStringList(json: string | null): string[] | null {
  if (json === null) return null;
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Stored permission names that are still in the catalogue: a retired one grants nothing. */
export function parsePermissionList(json: string | null): Permission[] | null {
  return parseStringList(json)?.filter(isPermission) ?? null;
}

/** `lastUse`: the latest known use (see credentials/last-use.ts `latestUse`), the stored one by default. */
export function toPersonalTokenView(
  row: PersonalAccessTokenRow,
  lastUse: LastUse = { at: row.last_used_at, ip: row.last_used_ip },
): PersonalTokenView {
  const now = nowIso();
  const graceOpen = row.revoked_at === null && row.previous_valid_until !== null && row.previous_valid_until > now;
  return {
    id: row.id,
    name: row.name,
    prefix: row.display_prefix,
    permissions: parsePermissionList(row.permissions),
    projectIds: parseStringList(row.project_ids),
    rateLimitPerMinute: row.rate_limit_per_minute,
    allowedIps: parseAllowedIps(row.allowed_ips),
    status: tokenStatus(row, now),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    revokedReason: row.revoked_reason,
    previousSecretValidUntil: graceOpen ? row.previous_valid_until : null,
    lastUsedAt: lastUse.at,
    lastUsedIp: lastUse.ip,
  };
}
