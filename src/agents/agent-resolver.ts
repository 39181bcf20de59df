import { AGENT_TOKEN_USAGE, auditRefusedUse } from '../access-tokens/token-usage.js';
import type { TokenResolver } from '../auth/resolvers.js';
import type { Db } from '../db/database.js';
import { prepared } from '../db/prepared.js';
import { AppError } from '../errors/app-error.js';
import { nowIso } from '../lib/time.js';

// A credential lookup runs on every request: compiled once (see db/prepared.ts).
const findAgentToken = prepared((db: Db, tokenHash: string) =>
  db
    .selectFrom('agent_tokens')
    .innerJoin('agents', 'agents.id', 'agent_tokens.agent_id')
    .select(['agent_tokens.id as token_id', 'agent_tokens.revoked_at', 'agents.id', 'agents.name', 'agents.workspace_id', 'agents.created_by_type', 'agents.created_by_id'])
    .where('agent_tokens.token_hash', '=', tokenHash),
);

/**
 * A `tga_` token acts as its agent. Token and agent are read as the database is now on every request:
 * a reissue past its grace, a revocation or the agent's deletion applies to the very next one.
 */
export const resolveAgentToken: TokenResolver = async (ctx, tokenHash, request) => {
  const [row] = await findAgentToken(ctx.db, tokenHash);
  if (!row) throw new AppError('INVALID_TOKEN', 'This token is unknown, or its agent has been deleted');
  if (row.revoked_at !== null && row.revoked_at <= nowIso()) {
    await auditRefusedUse(ctx, request, {
      actor: { type: 'agent', id: row.id },
      userId: row.created_by_type === 'user' ? row.created_by_id : null,
      workspaceId: row.workspace_id,
      targetType: 'agent_token',
      targetId: row.token_id,
      reason: 'revoked',
    });
    throw new AppError('TOKEN_REVOKED', 'This agent token has been revoked; ask for the new one');
  }
  ctx.usage.touch(AGENT_TOKEN_USAGE, row.token_id, request.ip);
  return { kind: 'agent', agent: { id: row.id, name: row.name, workspaceId: row.workspace_id, tokenId: row.token_id, expiresAt: row.revoked_at } };
};
