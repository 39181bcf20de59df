import type { TokenResolver } from '../auth/resolvers.js';
import type { Db } from '../db/database.js';
import { prepared } from '../db/prepared.js';
import { AppError } from '../errors/app-error.js';
import { toAuthUser } from '../users/users.service.js';
import { nowIso } from '../lib/time.js';

const findSession = prepared((db: Db, tokenHash: string) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id as session_id', 'sessions.expires_at', 'users.id', 'users.email', 'users.name', 'users.is_admin', 'users.blocked_at', 'users.created_at'])
    .where('sessions.token_hash', '=', tokenHash),
);

export const resolveSessionToken: TokenResolver = async (ctx, tokenHash, request) => {
  const [row] = await findSession(ctx.db, tokenHash);
  if (!row) throw new AppError('INVALID_TOKEN', 'This session has ended; sign in again');
  if (row.blocked_at !== null) throw new AppError('USER_BLOCKED', 'This account is blocked');
  const now = nowIso();
  if (row.expires_at <= now) throw new AppError('SESSION_EXPIRED', 'This session has expired; sign in again');
  ctx.usage.touch('session', row.session_id, request.ip, now);
  return { kind: 'session', user: toAuthUser(row), sessionId: row.session_id, expiresAt: row.expires_at };
};
