import type { TokenResolver } from '../auth/resolvers.js';
import type { Principal } from '../authz/principal.js';
import { AppError } from '../errors/app-error.js';
import { safeEqual } from '../lib/secrets.js';
import { toAuthUser } from '../users/users.service.js';
import { findTokensByHash, type TokenLookupRow } from './personal-token-lookup.js';
import { PERSONAL_TOKEN_USAGE, parsePermissionList, parseStringList } from './personal-token-view.js';
import { auditRefusedUse, type RefusedUse } from './refused-use-audit.js';
import type { PersonalAccessTokenRow } from './tables.js';
import { nowIso } from '../lib/time.js';

type Refusal = { reason: RefusedUse['reason']; error: AppError };

type StateColumns = Pick<PersonalAccessTokenRow, 'token_hash' | 'revoked_at' | 'expires_at' | 'previous_token_hash' | 'previous_valid_until'>;

/** Why a found token may not be used now, or null when it may. */
function refusalOf(row: StateColumns, tokenHash: string, now: string): Refusal | null {
  if (row.revoked_at !== null) return { reason: 'revoked', error: new AppError('TOKEN_REVOKED', 'This token has been revoked') };
  if (row.expires_at <= now) return { reason: 'expired', error: new AppError('TOKEN_EXPIRED', `This token expired at ${row.expires_at}`) };
  // A token never rotated can only have been found by its current secret. Otherwise, which one matched
  // is told in constant time.
  if (row.previous_token_hash === null || safeEqual(row.token_hash, tokenHash)) return null;
  // Found by the hash it had before its last rotation: valid only until the grace period ends.
  if (row.previous_valid_until !== null && row.previous_valid_until > now) return null;
  return { reason: 'rotated', error: new AppError('TOKEN_EXPIRED', 'This token was rotated; its previous secret no longer works') };
}

type PersonalTokenPrincipal = Extract<Principal, { kind: 'personal_token' }>;

function principalFrom(row: TokenLookupRow): PersonalTokenPrincipal {
  return {
    kind: 'personal_token',
    user: toAuthUser(row),
    token: {
      id: row.token_id,
      name: row.token_name,
      permissions: parsePermissionList(row.permissions),
      projectIds: parseStringList(row.project_ids),
      rateLimitPerMinute: row.rate_limit_per_minute,
      expiresAt: row.expires_at,
    },
  };
}

// On SQLite, while nothing changes, the lookup answers with the very same (frozen) row: the principal
// it grants is worked out once per row, not once per request, and shared, so it is frozen too. A row
// read afresh (PostgreSQL) gives a principal of its own.
const principals = new WeakMap<TokenLookupRow, PersonalTokenPrincipal>();

function principalOf(row: TokenLookupRow): PersonalTokenPrincipal {
  if (!Object.isFrozen(row)) return principalFrom(row);
  let principal = principals.get(row);
  if (!principal) {
    const { user, token } = principalFrom(row);
    principal = Object.freeze({ kind: 'personal_token' as const, user: Object.freeze(user), token: Object.freeze(token) });
    principals.set(row, principal);
  }
  return principal;
}

/**
 * `Bearer tgp_…`: one indexed query by hash (current or pre-rotation secret) joined to the owner,
 * reading the database as it is now, so revocation, expiry and blocking apply to the very next request.
 */
export const resolvePersonalToken: TokenResolver = async (ctx, tokenHash, request) => {
  const [row] = await findTokensByHash(ctx.db, tokenHash);
  if (!row) throw new AppError('INVALID_TOKEN', 'This token is not valid');
  if (row.blocked_at !== null) throw new AppError('USER_BLOCKED', "This token's owner is blocked");
  const now = nowIso();
  const refusal = refusalOf(row, tokenHash, now);
  if (refusal) {
    await auditRefusedUse(ctx, request, { tokenId: row.token_id, ownerId: row.id, reason: refusal.reason });
    throw refusal.error;
  }
  ctx.usage.touch(PERSONAL_TOKEN_USAGE, row.token_id, request.ip, now);
  return principalOf(row);
};
