import type { Principal } from '../authz/principal.js';
import type { Db } from '../db/database.js';
import { cachedRead } from '../db/read-cache.js';
import { toAuthUser } from '../users/users.service.js';
import { parsePermissionList, parseStringList } from './personal-token-view.js';

function lookupQuery(db: Db, tokenHash: string) {
  return db
    .selectFrom('personal_access_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select([
      't.id as token_id',
      't.name as token_name',
      't.token_hash',
      't.previous_token_hash',
      't.previous_valid_until',
      't.permissions',
      't.project_ids',
      't.rate_limit_per_minute',
      't.allowed_ips',
      't.expires_at',
      't.revoked_at',
      'u.id',
      'u.email',
      'u.name',
      'u.is_admin',
      'u.blocked_at',
      'u.created_at',
    ])
    .where((eb) => eb.or([eb('t.token_hash', '=', tokenHash), eb('t.previous_token_hash', '=', tokenHash)]));
}

type Lookup = ReturnType<typeof lookupQuery>;
export type PersonalTokenLookupRow = NonNullable<Awaited<ReturnType<Lookup['executeTakeFirst']>>>;

/** The token with this hash (current or pre-rotation secret) and its owner: one indexed query, at most one row. */
export const findPersonalTokensByHash = cachedRead(lookupQuery);

type PersonalTokenPrincipal = Extract<Principal, { kind: 'personal_token' }>;

/** The principal a working personal token grants: its owner, narrowed to the token's permissions and projects. */
export function personalTokenPrincipal(row: PersonalTokenLookupRow): PersonalTokenPrincipal {
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
