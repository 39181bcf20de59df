import type { CompiledQuery } from 'kysely';
import type { Db } from '../db/database.js';

// Stands in for the hash while the query is compiled; swapped for the real one on every lookup.
const HASH_PLACEHOLDER = '\u0000token-hash';

function lookupQuery(db: Db, tokenHash: string) {
  return db
    .selectFrom('personal_access_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select([
      't.id as token_id', 't.name as token_name', 't.token_hash', 't.previous_valid_until', 't.permissions', 't.project_ids',
      't.rate_limit_per_minute', 't.expires_at', 't.revoked_at', 'u.id', 'u.email', 'u.name', 'u.is_admin', 'u.blocked_at',
    ])
    .where((eb) => eb.or([eb('t.token_hash', '=', tokenHash), eb('t.previous_token_hash', '=', tokenHash)]));
}

type Lookup = ReturnType<typeof lookupQuery>;
export type TokenLookupRow = NonNullable<Awaited<ReturnType<Lookup['executeTakeFirst']>>>;

const compiled = new WeakMap<Db, CompiledQuery<TokenLookupRow>>();

/**
 * The token with this hash (current or pre-rotation secret) and its owner: one indexed query.
 * It runs on every token request, where building it with Kysely cost several times what SQLite
 * takes to answer it, so it is compiled once per database and only its parameters change.
 */
export async function findTokenByHash(db: Db, tokenHash: string): Promise<TokenLookupRow | undefined> {
  let query = compiled.get(db);
  if (!query) compiled.set(db, (query = lookupQuery(db, HASH_PLACEHOLDER).compile()));
  const parameters = query.parameters.map((value) => (value === HASH_PLACEHOLDER ? tokenHash : value));
  const { rows } = await db.executeQuery<TokenLookupRow>({ ...query, parameters });
  return rows[0];
}
