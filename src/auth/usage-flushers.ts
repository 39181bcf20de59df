import { flushPersonalTokenUsage } from '../tokens/personal-token-usage.js';
import { PERSONAL_TOKEN_USAGE } from '../tokens/personal-token-view.js';
import { AGENT_TOKEN_USAGE, lastUsedFlusher, WORKSPACE_TOKEN_USAGE } from '../access-tokens/token-usage.js';
import type { UsageTracker } from './usage-tracker.js';

/** How each kind of credential writes its batched last-use times; one entry per kind. */
export function registerUsageFlushers(usage: UsageTracker): void {
  usage.register('session', async (db, batch) => {
    await db.transaction().execute(async (trx) => {
      for (const [id, { at, ip }] of batch) {
        await trx.updateTable('sessions').set({ last_seen_at: at, ip }).where('id', '=', id).execute();
      }
    });
  });
  usage.register(PERSONAL_TOKEN_USAGE, flushPersonalTokenUsage);
  usage.register(WORKSPACE_TOKEN_USAGE, lastUsedFlusher('workspace_access_tokens'));
  usage.register(AGENT_TOKEN_USAGE, lastUsedFlusher('agent_tokens'));
}
