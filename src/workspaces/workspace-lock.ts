import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * Serialises changes that must see a workspace's whole state (its owners, members, invitations, how many
 * credentials it holds): a no-op write takes the workspace row's lock on PostgreSQL (SQLite already has a
 * single writer), so two Owners demoting each other at once cannot both see the other still there, and two
 * creations cannot both see room for one more.
 */
export async function lockWorkspace(trx: Transaction<Database>, workspaceId: string): Promise<void> {
  await trx
    .updateTable('workspaces')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('id', '=', workspaceId)
    .execute();
}
