import { disableCredentialsOf } from '../credentials/creator-departure.js';
import type { Db } from '../db/database.js';
import { isUniqueViolation } from '../db/errors.js';
import type { UserRow } from './tables.js';
import type { AuthUser } from '../authz/principal.js';
import { AppError, notFound } from '../errors/app-error.js';
import { newId } from '../lib/ids.js';
import { hashPassword } from '../lib/secrets.js';
import { nowIso } from '../lib/time.js';
import { checkPassword, DEFAULT_PASSWORD_MIN_LENGTH } from './password-policy.js';

export interface PublicUser {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  blocked: boolean;
  createdAt: string;
}

export function toPublicUser(row: UserRow): PublicUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    isAdmin: row.is_admin === 1,
    blocked: row.blocked_at !== null,
    createdAt: row.created_at,
  };
}

export function toAuthUser(row: Pick<UserRow, 'id' | 'email' | 'name' | 'is_admin' | 'created_at'>): AuthUser {
  return { id: row.id, email: row.email, name: row.name, isAdmin: row.is_admin === 1, createdAt: row.created_at };
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export interface NewUser {
  email: string;
  password: string;
  name: string;
  isAdmin?: boolean;
}

/** Creates an account whose password meets the policy (password-policy.ts: at least `passwordMinLength` characters…). */
export async function createUser(
  db: Db,
  input: NewUser,
  hashCost: number,
  passwordMinLength = DEFAULT_PASSWORD_MIN_LENGTH,
): Promise<UserRow> {
  const email = normaliseEmail(input.email);
  checkPassword(input.password, passwordMinLength, email);
  const existing = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  if (existing) throw new AppError('EMAIL_TAKEN', 'An account with this email already exists');
  const now = nowIso();
  const row: UserRow = {
    id: newId('user'),
    email,
    name: input.name.trim(),
    password_hash: await hashPassword(input.password, hashCost),
    is_admin: input.isAdmin ? 1 : 0,
    blocked_at: null,
    created_at: now,
    updated_at: now,
  };
  try {
    await db.insertInto('users').values(row).execute();
  } catch (err) {
    // Two registrations racing past the check above meet the unique index instead.
    if (isUniqueViolation(err)) throw new AppError('EMAIL_TAKEN', 'An account with this email already exists');
    throw err;
  }
  return row;
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', normaliseEmail(email)).executeTakeFirst();
}

async function getUser(db: Db, id: string): Promise<UserRow> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('User');
  return row;
}

export async function countUsers(db: Db): Promise<number> {
  const { count } = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(count);
}

/** The instance admin blocking or unblocking, and from where (for the audit log). */
export interface AdminAction {
  adminId: string;
  ip: string | null;
}

/**
 * Blocking ends every session at once; personal tokens check `blocked_at` on each request; the workspace
 * access tokens and agents the user created, which act for a workspace rather than for the user, are
 * disabled in the same transaction (`creator_blocked`). Unblocking leaves those disabled: a workspace
 * administrator decides whether to re-enable each.
 */
export async function setUserBlocked(db: Db, id: string, blocked: boolean, by: AdminAction): Promise<UserRow> {
  await getUser(db, id);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ blocked_at: blocked ? nowIso() : null, updated_at: nowIso() })
      .where('id', '=', id)
      .execute();
    if (!blocked) return;
    await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
    await disableCredentialsOf(trx, {
      userId: id,
      workspaceId: null,
      reason: 'creator_blocked',
      actor: { type: 'user', id: by.adminId },
      ip: by.ip,
    });
  });
  return getUser(db, id);
}
