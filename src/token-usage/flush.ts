import type { AppContext } from '../context.js';
import type { Db } from '../db/database.js';
import type { CountedUse, TokenUseBuffer } from './use-buffer.js';

const ROWS_PER_STATEMENT = 500;
/** Counts are answered for 30 days; a few more are kept, then pruned. */
const KEEP_DAYS = 35;
const PRUNE_EVERY_MS = 3_600_000;

/**
 * Writes every use counted so far in one transaction, adding to the stored counts (several processes flush
 * independently). A batch that fails to write goes back to the buffer, so nothing counted is lost.
 */
export async function flushTokenUses(db: Db, buffer: TokenUseBuffer): Promise<number> {
  const batch = buffer.take();
  if (batch.length === 0) return 0;
  try {
    await db.transaction().execute(async (trx) => {
      for (let start = 0; start < batch.length; start += ROWS_PER_STATEMENT) {
        await trx
          .insertInto('token_permission_uses')
          .values(batch.slice(start, start + ROWS_PER_STATEMENT).map(rowOf))
          .onConflict((oc) =>
            oc
              .columns(['token_kind', 'token_id', 'permission', 'project_id', 'day'])
              .doUpdateSet((eb) => ({ uses: eb('token_permission_uses.uses', '+', eb.ref('excluded.uses')) })),
          )
          .execute();
      }
    });
  } catch (err) {
    buffer.putBack(batch);
    throw err;
  }
  return batch.length;
}

function rowOf(use: CountedUse) {
  return {
    token_kind: use.kind,
    token_id: use.tokenId,
    day: use.day,
    permission: use.permission,
    project_id: use.projectId,
    uses: use.uses,
  };
}

/** Forgets the counts of days no answer shows any more. */
async function pruneTokenUses(db: Db, now = Date.now()): Promise<void> {
  const oldest = new Date(now - KEEP_DAYS * 86_400_000).toISOString().slice(0, 10);
  await db.deleteFrom('token_permission_uses').where('day', '<', oldest).execute();
}

/**
 * The background job (src/jobs.ts): flushes as often as last uses are flushed, prunes at most hourly after a flush that
 * wrote (an idle instance sends no statement), flushes once more on stop.
 */
export function startTokenUsageFlush(ctx: AppContext, onError: (err: unknown) => void): { stop(): Promise<void> } {
  let lastPrune = 0;
  const pass = async () => {
    const written = await flushTokenUses(ctx.db, ctx.tokenUses);
    if (written > 0 && Date.now() - lastPrune >= PRUNE_EVERY_MS) {
      lastPrune = Date.now();
      await pruneTokenUses(ctx.db);
    }
  };
  const timer = setInterval(() => pass().catch(onError), ctx.config.lastUsedFlushMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await flushTokenUses(ctx.db, ctx.tokenUses).catch(onError);
    },
  };
}
