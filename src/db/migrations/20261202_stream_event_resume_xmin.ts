import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../dialect.js';

// PostgreSQL: the oldest transaction still running when each event was inserted. A stream resuming
// after an event a list showed starts there, since an older transaction that commits later sorts before
// the event (see events/event-stream.queries.ts, positionAfterEvent). Added without the default first:
// a volatile default would give every existing row the migration's own snapshot, which is too late.
export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`alter table events add column snapshot_xmin xid8`.execute(db);
  await sql`alter table events alter column snapshot_xmin set default pg_snapshot_xmin(pg_current_snapshot())`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) await sql`alter table events drop column snapshot_xmin`.execute(db);
}
