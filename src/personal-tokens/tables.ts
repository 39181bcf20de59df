import type { RevokedReason } from '../credentials/state.js';

/**
 * A personal access token as stored: only SHA-256 hashes of its secret, never the secret.
 * Rotation keeps the replaced secret's hash in `previous_token_hash` until `previous_valid_until`.
 */
export interface PersonalAccessTokenRow {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  /** The first characters of the current secret (`tgp_AbCdEf`), for masked display. */
  display_prefix: string;
  previous_token_hash: string | null;
  previous_valid_until: string | null;
  /** JSON array of permission names; null: everything the owner's role allows. */
  permissions: string | null;
  /** JSON array of project ids; null: every project the owner can see. */
  project_ids: string | null;
  rate_limit_per_minute: number | null;
  /** JSON array of CIDRs it may be used from; null: any address. */
  allowed_ips: string | null;
  expires_at: string;
  last_used_at: string | null;
  last_used_ip: string | null;
  revoked_at: string | null;
  /** Why it was revoked: `leaked` (a leak report), null by hand. */
  revoked_reason: RevokedReason | null;
  created_at: string;
  updated_at: string;
}

/** Tables owned by the personal-tokens domain. */
export interface PersonalTokenTables {
  personal_access_tokens: PersonalAccessTokenRow;
}
