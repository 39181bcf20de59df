import { Migrator, sql, type Migration, type MigrationProvider } from 'kysely';
import { openDatabase, type DatabaseHandle, type Db, type DialectName } from './database.js';
import { migrations } from './migrations/index.js';

// A static map instead of reading a folder: works the same under tsx, a bundler or compiled JS.
const provider: MigrationProvider = {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  },
};

/**
 * Kysely looks for its bookkeeping tables in every schema unless told which one; with several
 * Taskgate schemas in one PostgreSQL database (tests, staging) it must be pinned to ours.
 */
async function migrationSchema(db: Db, dialect: DialectName): Promise<string | undefined> {
  if (dialect !== 'postgres') return undefined;
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema;
}

/**
 * Kysely's check for its bookkeeping tables reads every schema's tables with `has_schema_privilege`,
 * which fails with 3F000 when another schema is dropped meanwhile (other test runs, a staging reset):
 * nothing of ours went wrong, so the check is simply made again.
 */
function otherSchemaVanished(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '3F000';
}

/** Brings the schema up to date; throws on the first failed migration. */
export async function migrateToLatest(db: Db, dialect: DialectName): Promise<void> {
  const migrator = new Migrator({ db, provider, migrationTableSchema: await migrationSchema(db, dialect) });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    const failed = results?.find((r) => r.status === 'Error');
    if (!error && !failed) return;
    if (!failed && attempt < 5 && otherSchemaVanished(error)) continue;
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}

/**
 * Migrates the database the handle opened. A migration may take longer than a request may wait (an
 * index on a large table): on PostgreSQL it runs on a connection of its own, without the statement timeout.
 */
export async function migrateDatabase(handle: DatabaseHandle, url: string, schema: string | null, connectMs: number): Promise<void> {
  if (handle.dialect !== 'postgres') return migrateToLatest(handle.db, handle.dialect);
  const unhurried = await openDatabase(url, schema, { connectMs, statementMs: 0 });
  try {
    await migrateToLatest(unhurried.db, unhurried.dialect);
  } finally {
    await unhurried.close();
  }
}
