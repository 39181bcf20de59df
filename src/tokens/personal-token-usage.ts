import type { UsageFlusher } from '../auth/usage-tracker.js';

/**
 * Writes a batch of buffered token uses. Several processes flush independently, so a write never
 * moves `last_used_at` backwards.
 */
export const flushPersonalTokenUsage: UsageFlusher = async (db, batch) => {
  await db.transaction().execute(async (trx) => {
    for (const [id, { at, ip }] of batch) {
      await trx
        .updateTable('personal_access_tokens')
        .set({ last_used_at: at, last_used_ip: ip })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', at)]))
        .execute();
    }
  });
};
