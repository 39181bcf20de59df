import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { AppError } from '../errors/app-error.js';
import { nowIso } from '../lib/time.js';
import { lockWorkspace } from '../workspaces/workspace-lock.js';

// Each credential has a rate budget of its own, so unlimited credentials would mean an unlimited rate.
// The holder's row is locked first, so concurrent creations cannot all see room for one more.

/** Refuses a new personal token once the user holds `max` that still work (not revoked, not expired). */
export async function requireRoomForUser(trx: Transaction<Database>, userId: string, max: number): Promise<void> {
  await trx
    .updateTable('users')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('id', '=', userId)
    .execute();
  const { count } = await trx
    .selectFrom('personal_access_tokens')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', nowIso())
    .executeTakeFirstOrThrow();
  if (Number(count) >= max) {
    throw new AppError('TOKEN_LIMIT_REACHED', `You hold the maximum of ${max} working personal tokens; revoke one first`, { limit: max });
  }
}

/**
 * Refuses a new workspace credential (workspace token or agent) once the workspace holds `max`.
 * Unexpired tokens count, disabled ones too (they can be re-enabled).
 */
export async function requireRoomInWorkspace(trx: Transaction<Database>, workspaceId: string, max: number): Promise<void> {
  await lockWorkspace(trx, workspaceId);
  const tokens = await trx
    .selectFrom('workspace_access_tokens')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('workspace_id', '=', workspaceId)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', nowIso())]))
    .executeTakeFirstOrThrow();
  const agents = await trx
    .selectFrom('agents')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirstOrThrow();
  if (Number(tokens.count) + Number(agents.count) >= max) {
    const message = `This workspace holds its maximum of ${max} access tokens and agents; delete one first`;
    throw new AppError('TOKEN_LIMIT_REACHED', message, { limit: max });
  }
}
