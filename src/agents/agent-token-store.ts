import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { newId } from '../lib/ids.js';
import { isoIn, nowIso } from '../lib/time.js';
import { displayPrefix, generateToken, hashToken } from '../credentials/token-format.js';

type Trx = Transaction<Database>;

/** Stores a fresh token for the agent (its hash only), expiring after `lifetimeMs`, and returns the plaintext, for showing once. */
export async function issueAgentToken(trx: Trx, agentId: string, lifetimeMs: number): Promise<string> {
  const token = generateToken('agent');
  await trx
    .insertInto('agent_tokens')
    .values({
      id: newId('agentToken'),
      agent_id: agentId,
      token_hash: hashToken(token),
      token_prefix: displayPrefix(token),
      created_at: nowIso(),
      revoked_at: null,
      expires_at: isoIn(lifetimeMs),
      last_used_at: null,
      last_used_ip: null,
    })
    .execute();
  return token;
}

/**
 * Makes every still-working token of the agent stop at `at` (now, or the end of a grace period). A token
 * already due to stop sooner keeps its earlier time. Returns how many tokens were cut short.
 */
export async function revokeWorkingTokens(trx: Trx, agentId: string, at: string): Promise<number> {
  const current = await trx
    .updateTable('agent_tokens')
    .set({ revoked_at: at })
    .where('agent_id', '=', agentId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  const graced = await trx
    .updateTable('agent_tokens')
    .set({ revoked_at: at })
    .where('agent_id', '=', agentId)
    .where('revoked_at', '>', at)
    .executeTakeFirst();
  return Number(current.numUpdatedRows + graced.numUpdatedRows);
}

/**
 * Writes the agent row first, so concurrent token changes for one agent queue behind each other (a row
 * lock on PostgreSQL, the write lock on SQLite) and never leave two current tokens.
 */
export async function lockAgent(trx: Trx, agentId: string): Promise<void> {
  await trx.updateTable('agents').set({ updated_at: nowIso() }).where('id', '=', agentId).execute();
}
