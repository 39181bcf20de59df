import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../dialect.js';

// The event stream polls each workspace for events past a (txid, seq) position on PostgreSQL; without
// this index the query would walk every event of the workspace or of the whole server.
export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) await sql`create index events_workspace_txid_seq_idx on events (workspace_id, txid, seq)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) await sql`drop index events_workspace_txid_seq_idx`.execute(db);
}
