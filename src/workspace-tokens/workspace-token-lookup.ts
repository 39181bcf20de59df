import type { Principal } from '../authz/principal.js';
import { isRole } from '../authz/roles.js';
import type { Db } from '../db/database.js';
import { cachedRead } from '../db/read-cache.js';

// A credential lookup runs on every request: compiled once (see db/read-cache.ts).
const findWorkspaceToken = cachedRead((db: Db, tokenHash: string) =>
  db
    .selectFrom('workspace_access_tokens')
    .select([
      'id',
      'workspace_id',
      'label',
      'scope',
      'rate_limit_per_minute',
      'allowed_ips',
      'created_by',
      'expires_at',
      'disabled_at',
      'disabled_reason',
      'revoked_at',
    ])
    .where('token_hash', '=', tokenHash),
);

export type WorkspaceTokenLookupRow = Awaited<ReturnType<typeof findWorkspaceToken>>[number];

/** The token with this hash; one whose scope is no role (any more) is unknown. */
export async function findWorkspaceTokensByHash(db: Db, tokenHash: string): Promise<readonly WorkspaceTokenLookupRow[]> {
  const rows = await findWorkspaceToken(db, tokenHash);
  return rows.every((row) => isRole(row.scope)) ? rows : rows.filter((row) => isRole(row.scope));
}

/** A `tgw_` token acts for its workspace with exactly its scope role, whoever created it. */
export function workspaceTokenPrincipal(row: WorkspaceTokenLookupRow): Principal {
  return {
    kind: 'workspace_token',
    token: {
      id: row.id,
      label: row.label,
      workspaceId: row.workspace_id,
      scope: row.scope,
      rateLimitPerMinute: row.rate_limit_per_minute,
      expiresAt: row.expires_at,
    },
  };
}
