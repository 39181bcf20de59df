import type { Principal } from '../authz/principal.js';
import type { Db } from '../db/database.js';
import { cachedRead } from '../db/read-cache.js';

// A credential lookup runs on every request: compiled once (see db/read-cache.ts).
/** The agent token with this hash joined to its agent (a deleted agent's tokens are gone with it). */
export const findAgentTokensByHash = cachedRead((db: Db, tokenHash: string) =>
  db
    .selectFrom('agent_tokens')
    .innerJoin('agents', 'agents.id', 'agent_tokens.agent_id')
    .select([
      'agent_tokens.id as token_id',
      'agent_tokens.revoked_at',
      'agent_tokens.expires_at',
      'agents.id',
      'agents.name',
      'agents.workspace_id',
      'agents.created_by_type',
      'agents.created_by_id',
      'agents.disabled_at',
      'agents.disabled_reason',
      'agents.allowed_ips',
    ])
    .where('agent_tokens.token_hash', '=', tokenHash),
);

export type AgentTokenLookupRow = Awaited<ReturnType<typeof findAgentTokensByHash>>[number];

/** The earlier of the end of a reissue's grace and the token's expiry. */
function stopsAt(row: AgentTokenLookupRow): string | null {
  if (row.revoked_at === null) return row.expires_at;
  return row.expires_at === null || row.revoked_at < row.expires_at ? row.revoked_at : row.expires_at;
}

/** A `tga_` token acts as its agent. */
export function agentTokenPrincipal(row: AgentTokenLookupRow): Principal {
  const agent = { id: row.id, name: row.name, workspaceId: row.workspace_id, tokenId: row.token_id, expiresAt: stopsAt(row) };
  return { kind: 'agent', agent };
}
