import type { TokenResolver } from '../auth/resolvers.js';
import type { Db } from '../db/database.js';
import { prepared } from '../db/prepared.js';
import { isRole } from '../authz/roles.js';
import { AppError } from '../errors/app-error.js';
import type { CredentialDisabledReason } from '../agents/tables.js';
import { accessTokenStatus } from './access-tokens.service.js';
import { disabledRefusal } from './disabled-refusal.js';
import { auditRefusedUse, WORKSPACE_TOKEN_USAGE } from './token-usage.js';

const REFUSALS = {
  disabled: (reason: CredentialDisabledReason | null) => disabledRefusal('This workspace access token', reason),
  expired: () => new AppError('TOKEN_EXPIRED', 'This workspace access token has expired'),
} as const;

// A credential lookup runs on every request: compiled once (see db/prepared.ts).
const findAccessToken = prepared((db: Db, tokenHash: string) =>
  db
    .selectFrom('workspace_access_tokens')
    .select(['id', 'workspace_id', 'label', 'scope', 'rate_limit_per_minute', 'created_by', 'expires_at', 'disabled_at', 'disabled_reason'])
    .where('token_hash', '=', tokenHash),
);

/**
 * A `tgw_` token acts for its workspace with exactly its scope role, whoever created it. The row is
 * read as the database is now on every request, so disabling, deleting or re-scoping applies to the
 * very next one.
 */
export const resolveWorkspaceToken: TokenResolver = async (ctx, tokenHash, request) => {
  const [row] = await findAccessToken(ctx.db, tokenHash);
  if (!row || !isRole(row.scope)) throw new AppError('INVALID_TOKEN', 'This token is unknown or has been deleted');
  const status = accessTokenStatus(row);
  if (status !== 'active') {
    await auditRefusedUse(ctx, request, {
      actor: { type: 'workspace_token', id: row.id },
      userId: row.created_by,
      workspaceId: row.workspace_id,
      targetType: 'access_token',
      targetId: row.id,
      reason: status,
    });
    throw REFUSALS[status](row.disabled_reason);
  }
  ctx.usage.touch(WORKSPACE_TOKEN_USAGE, row.id, request.ip);
  return {
    kind: 'workspace_token',
    token: { id: row.id, label: row.label, workspaceId: row.workspace_id, scope: row.scope, rateLimitPerMinute: row.rate_limit_per_minute, expiresAt: row.expires_at },
  };
};
