import type { Db } from '../db/database.js';
import { prepared } from '../db/prepared.js';

function lookupQuery(db: Db, tokenHash: string) {
  return db
    .selectFrom('personal_access_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select([
      't.id as token_id', 't.name as token_name', 't.token_hash', 't.previous_token_hash', 't.previous_valid_until', 't.permissions', 't.project_ids',
      't.rate_limit_per_minute', 't.expires_at', 't.revoked_at', 'u.id', 'u.email', 'u.name', 'u.is_admin', 'u.blocked_at', 'u.created_at',
    ])
    .where((eb) => eb.or([eb('t.token_hash', '=', tokenHash), eb('t.previous_token_hash', '=', tokenHash)]));
}

type Lookup = ReturnType<typeof lookupQuery>;
export type TokenLookupRow = NonNullable<Awaited<ReturnType<Lookup['executeTakeFirst']>>>;

/** The token with this hash (current or pre-rotation secret) and its owner: one indexed query, at most one row. */
export const findTokensByHash = prepared(lookupQuery);
