import type { UsageFlusher } from '../auth/usage-tracker.js';
import type { TokenResolver } from '../credentials/resolver.js';
import { hasExpired } from '../credentials/state.js';
import type { Db } from '../db/database.js';
import { cachedRead } from '../db/read-cache.js';
import { AppError } from '../errors/app-error.js';
import { toAuthUser } from '../users/users.service.js';
import { nowIso } from '../lib/time.js';

const findSession = cachedRead((db: Db, tokenHash: string) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as session_id',
      'sessions.expires_at',
      'users.id',
      'users.email',
      'users.name',
      'users.is_admin',
      'users.blocked_at',
      'users.created_at',
    ])
    .where('sessions.token_hash', '=', tokenHash),
);

/** A browser session (`tgs_`, in its cookie): refused with its own codes, since signing in again is the way back. */
export const resolveSessionToken: TokenResolver = async (ctx, tokenHash, request) => {
  const [row] = await findSession(ctx.db, tokenHash);
  if (!row) throw new AppError('INVALID_TOKEN', 'This session has ended; sign in again');
  if (row.blocked_at !== null) throw new AppError('USER_BLOCKED', 'This account is blocked');
  const now = nowIso();
  if (hasExpired(row.expires_at, now)) throw new AppError('SESSION_EXPIRED', 'This session has expired; sign in again');
  ctx.usage.touch('sessions', row.session_id, request.ip, now);
  return { kind: 'session', user: toAuthUser(row), sessionId: row.session_id, expiresAt: row.expires_at };
};

/** Writes a batch of buffered session uses (last seen and from where). */
export const flushSessionUse: UsageFlusher = async (db, batch) => {
  await db.transaction().execute(async (trx) => {
    for (const [id, { at, ip }] of batch) {
      await trx.updateTable('sessions').set({ last_seen_at: at, ip }).where('id', '=', id).execute();
    }
  });
};
