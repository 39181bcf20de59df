import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../dialect.js';

/**
 * Issue 19, ADR 0008: on PostgreSQL, a data version for the read cache. Every statement that writes a
 * table the cache reads moves the sequence `taskgate_data_version` (statement-level triggers); a process
 * keeps what it read while the version has not moved. A writer holds a shared advisory lock from its
 * first bump to its commit, so a check that gets the lock exclusively knows every bump it sees is
 * committed. Updates of last-use columns alone (flushed in batches) do not move it. SQLite needs none of
 * this: `PRAGMA data_version` is its version (ADR 0001).
 *
 * The tables and the columns left out are written here, as they are today; the read cache checks the
 * triggers in the catalogue at start and never keeps rows of a table whose triggers miss a column
 * (src/db/pg-read-cache.ts). A later migration that adds a column to one of these tables recreates its
 * update trigger the same way.
 */
const WATCHED: Record<string, readonly string[]> = {
  users: [],
  sessions: ['last_seen_at', 'ip'],
  personal_access_tokens: ['last_used_at', 'last_used_ip'],
  workspace_access_tokens: ['last_used_at', 'last_used_ip'],
  agent_tokens: ['last_used_at', 'last_used_ip'],
  agents: [],
  workspaces: [],
  workspace_members: [],
  projects: [],
  tasks: [],
  task_assignees: [],
  task_labels: [],
  labels: [],
  // Issue 20's delegated tokens, when their migration (which sorts before this one) is there.
  delegated_tokens: ['last_used_at', 'last_used_ip'],
};

// High bits that set the lock apart from any other advisory lock; the low ones are the sequence's oid.
const LOCK_BASE = 0x5447n << 48n;

export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  // The triggers bump this very sequence whatever search_path the writing session has.
  const sequence = `"${rows[0]!.schema.replaceAll('"', '""')}".taskgate_data_version`;
  await sql`create sequence taskgate_data_version`.execute(db);
  // A fresh sequence reports 1 before and after its first nextval: take that one now, so every bump shows.
  await sql`select nextval('taskgate_data_version')`.execute(db);
  const { rows: oid } = await sql<{ oid: string }>`select 'taskgate_data_version'::regclass::oid::text as oid`.execute(db);
  const key = String(LOCK_BASE + BigInt(oid[0]!.oid));
  await sql`
    create function taskgate_data_changed() returns trigger language plpgsql as $$
    begin
      perform pg_advisory_xact_lock_shared(${sql.raw(key)});
      perform nextval(${sql.lit(sequence)});
      return null;
    end $$`.execute(db);
  await sql`
    create function taskgate_data_version(out version bigint, out settled boolean) language plpgsql as $$
    begin
      settled := pg_try_advisory_xact_lock(${sql.raw(key)});
      select last_value into version from ${sql.raw(sequence)};
    end $$`.execute(db);
  for (const [table, unwatched] of Object.entries(WATCHED)) {
    const { rows: columns } = await sql<{ name: string }>`
      select column_name as name from information_schema.columns
      where table_schema = current_schema() and table_name = ${table} order by ordinal_position`.execute(db);
    if (columns.length === 0) continue;
    const watched = columns.map((c) => c.name).filter((name) => !unwatched.includes(name));
    await sql`
      create trigger taskgate_read_cache_writes after insert or delete or truncate on ${sql.table(table)}
      for each statement execute function taskgate_data_changed()`.execute(db);
    await sql`
      create trigger taskgate_read_cache_updates after update of ${sql.join(watched.map((name) => sql.id(name)))}
      on ${sql.table(table)} for each statement execute function taskgate_data_changed()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  // Dropping the trigger function drops every trigger that runs it.
  await sql`drop function if exists taskgate_data_changed() cascade`.execute(db);
  await sql`drop function if exists taskgate_data_version()`.execute(db);
  await sql`drop sequence if exists taskgate_data_version`.execute(db);
}
