import { Migrator, sql, type Migration, type MigrationProvider } from 'kysely';
import type { Db, DialectName } from './database.js';
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

/** Brings the schema up to date; throws on the first failed migration. */
export async function migrateToLatest(db: Db, dialect: DialectName): Promise<void> {
  const migrator = new Migrator({ db, provider, migrationTableSchema: await migrationSchema(db, dialect) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}
