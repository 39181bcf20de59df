import { recordAudit } from '../audit/audit.service.js';
import type { Db } from '../db/database.js';
import type { SessionRow } from './tables.js';
import { notFound } from '../errors/app-error.js';
import { newId } from '../lib/ids.js';
import { isoIn, nowIso } from '../lib/time.js';
import { generateToken, hashToken } from '../credentials/token-format.js';
import { deviceLabel } from './device-label.js';

export interface SessionView {
  id: string;
  deviceLabel: string;
  userAgent: string | null;
  ip: string | null;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  current: boolean;
}

export function toSessionView(row: SessionRow, currentId: string | null): SessionView {
  return {
    id: row.id,
    deviceLabel: row.device_label,
    userAgent: row.user_agent,
    ip: row.ip,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    current: row.id === currentId,
  };
}

export interface DeviceInfo {
  userAgent: string | undefined;
  /** What the client calls itself (the CLI: "taskgate CLI on <host>"); else read from the User-Agent. */
  name?: string | undefined;
  ip: string;
}

/** Starts a session; the plaintext token is returned here once and stored only as its hash. */
export async function createSession(db: Db, userId: string, device: DeviceInfo, ttlMs: number) {
  const token = generateToken('session');
  const now = nowIso();
  const row: SessionRow = {
    id: newId('session'),
    user_id: userId,
    token_hash: hashToken(token),
    device_label: device.name ?? deviceLabel(device.userAgent),
    user_agent: device.userAgent?.slice(0, 512) ?? null,
    ip: device.ip,
    created_at: now,
    last_seen_at: now,
    expires_at: isoIn(ttlMs),
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('sessions').values(row).execute();
    await recordAudit(trx, {
      userId,
      actor: { type: 'user', id: userId },
      action: 'session.created',
      targetType: 'session',
      targetId: row.id,
      ip: device.ip,
      details: { deviceLabel: row.device_label, ip: device.ip },
    });
  });
  return { token, session: row };
}

export async function listSessions(db: Db, userId: string): Promise<SessionRow[]> {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('expires_at', '>', nowIso())
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** How a session ended, for the audit log: `logout`, `revoked` (DELETE /sessions/{id}) or `revoked_others`. */
export interface SessionEnding {
  how: 'logout' | 'revoked' | 'revoked_others';
  ip: string | null;
}

/** Deletes the given sessions of `userId` and audits each one ended, in one transaction; returns how many ended. */
async function endSessions(db: Db, userId: string, sessionIds: string[], ending: SessionEnding): Promise<number> {
  if (sessionIds.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    const ended = await trx
      .deleteFrom('sessions')
      .where('user_id', '=', userId)
      .where('id', 'in', sessionIds)
      .returning(['id', 'device_label'])
      .execute();
    for (const session of ended) {
      await recordAudit(trx, {
        userId,
        actor: { type: 'user', id: userId },
        action: 'session.revoked',
        targetType: 'session',
        targetId: session.id,
        ip: ending.ip,
        details: { how: ending.how, deviceLabel: session.device_label },
      });
    }
    return ended.length;
  });
}

export async function endSession(db: Db, userId: string, sessionId: string, ending: SessionEnding): Promise<void> {
  if ((await endSessions(db, userId, [sessionId], ending)) === 0) throw notFound('Session');
}

/** Ends all of a user's sessions except `keepId`; returns how many ended. */
export async function endOtherSessions(db: Db, userId: string, keepId: string, ip: string | null): Promise<number> {
  const others = await db.selectFrom('sessions').select('id').where('user_id', '=', userId).where('id', '!=', keepId).execute();
  return endSessions(
    db,
    userId,
    others.map((row) => row.id),
    { how: 'revoked_others', ip },
  );
}
