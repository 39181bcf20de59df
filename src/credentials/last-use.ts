import type { Usage, UsageFlusher, UsageTracker } from '../auth/usage-tracker.js';

/** The tables holding token secrets; each is also the usage-tracker kind its last uses are buffered under. */
export type TokenTable = 'personal_access_tokens' | 'workspace_access_tokens' | 'agent_tokens' | 'delegated_tokens';

/**
 * Writes one batch of buffered last uses to a token table. Several processes flush independently, so a
 * write never moves `last_used_at` backwards.
 */
export function lastUsedFlusher(table: TokenTable): UsageFlusher {
  return async (db, batch) => {
    await db.transaction().execute(async (trx) => {
      for (const [id, { at, ip }] of batch) {
        await trx
          .updateTable(table)
          .set({ last_used_at: at, last_used_ip: ip })
          .where('id', '=', id)
          .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', at)]))
          .execute();
      }
    });
  };
}

export interface LastUse {
  at: string | null;
  ip: string | null;
}

/** The latest known use: the stored one, or this process's buffered one when newer (not yet flushed). */
export function latestUse(usage: UsageTracker | null, table: TokenTable, id: string, stored: LastUse): LastUse {
  const buffered: Usage | undefined = usage?.peek(table, id);
  return buffered !== undefined && (stored.at === null || buffered.at > stored.at) ? buffered : stored;
}
