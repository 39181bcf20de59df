import { disabledRefusal } from '../access-tokens/disabled-refusal.js';
import { AGENT_TOKEN_USAGE, auditRefusedUse, type RefusedUse } from '../access-tokens/token-usage.js';
import type { TokenResolver } from '../auth/resolvers.js';
import type { Db } from '../db/database.js';
import { prepared } from '../db/prepared.js';
import { AppError } from '../errors/app-error.js';
import { nowIso } from '../lib/time.js';
import type { AgentRow, AgentTokenRow } from './tables.js';

// A credential lookup runs on every request: compiled once (see db/prepared.ts).
const findAgentToken = prepared((db: Db, tokenHash: string) =>
  db
    .selectFrom('agent_tokens')
    .innerJoin('agents', 'agents.id', 'agent_tokens.agent_id')
    .select([
      'agent_tokens.id as token_id', 'agent_tokens.revoked_at', 'agent_tokens.expires_at', 'agents.id', 'agents.name', 'agents.workspace_id',
      'agents.created_by_type', 'agents.created_by_id', 'agents.disabled_at', 'agents.disabled_reason',
    ])
    .where('agent_tokens.token_hash', '=', tokenHash),
);

/**
 * A `tga_` token acts as its agent. Token and agent are read as the database is now on every request:
 * a reissue past its grace, a revocation or the agent's deletion applies to the very next one.
 */
export const resolveAgentToken: TokenResolver = async (ctx, tokenHash, request) => {
  const [row] = await findAgentToken(ctx.db, tokenHash);
  if (!row) throw new AppError('INVALID_TOKEN', 'This token is unknown, or its agent has been deleted');
  const now = nowIso();
  const refusal = refusalOf(row, now);
  if (refusal) {
    await auditRefusedUse(ctx, request, {
      actor: { type: 'agent', id: row.id },
      userId: row.created_by_type === 'user' ? row.created_by_id : null,
      workspaceId: row.workspace_id,
      targetType: 'agent_token',
      targetId: row.token_id,
      reason: refusal.reason,
    });
    throw refusal.error;
  }
  ctx.usage.touch(AGENT_TOKEN_USAGE, row.token_id, request.ip);
  return { kind: 'agent', agent: { id: row.id, name: row.name, workspaceId: row.workspace_id, tokenId: row.token_id, expiresAt: stopsAt(row) } };
};

type AgentTokenState = Pick<AgentTokenRow, 'revoked_at' | 'expires_at'> & Pick<AgentRow, 'disabled_at' | 'disabled_reason'>;

/** Why this agent token may not be used now, or null when it may. */
function refusalOf(row: AgentTokenState, now: string): { reason: RefusedUse['reason']; error: AppError } | null {
  if (row.revoked_at !== null && row.revoked_at <= now) {
    return { reason: 'revoked', error: new AppError('TOKEN_REVOKED', 'This agent token has been revoked; ask for the new one') };
  }
  if (row.expires_at !== null && row.expires_at <= now) {
    return { reason: 'expired', error: new AppError('TOKEN_EXPIRED', 'This agent token has expired; ask for a new one') };
  }
  if (row.disabled_at !== null) return { reason: 'disabled', error: disabledRefusal('This agent', row.disabled_reason) };
  return null;
}

/** The earlier of the end of a reissue's grace and the token's expiry. */
function stopsAt(row: AgentTokenState): string | null {
  if (row.revoked_at === null) return row.expires_at;
  return row.expires_at === null || row.revoked_at < row.expires_at ? row.revoked_at : row.expires_at;
}
