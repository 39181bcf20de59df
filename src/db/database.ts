import SQLite from 'better-sqlite3';
import pg from 'pg';
import { PostgresDialect, sql, type Kysely } from 'kysely';
import { isPostgresUrl } from '../config/config.js';
import type { Database } from './schema.js';
import { DatabaseHealth, resilientPool } from './availability.js';
import { FifoSqliteDialect } from './sqlite-dialect.js';
import { createPrivateFile } from './private-file.js';
import { DatabaseReads, HandleDb, type ReadCache, type StatementCount } from './read-cache.js';
import { PostgresReadCache } from './pg-read-cache.js';
import { SqliteReadCache } from './sqlite-read-cache.js';
import { hotPath } from '../lib/hot-path.js';

export type DialectName = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;

/** How many statements this database handle has sent since it was opened (0 for a transaction). */
export function statementsSent(db: Db): number {
  return db instanceof HandleDb ? db.statementsSent : 0;
}

export interface DatabaseHandle {
  /** Carries `reads` too, so a service given only `db` reads through the handle's cache (`readsOf`). */
  db: Db;
  /** The handle's read path: point reads, answers kept from their rows, freshness per request (ADR 0001). */
  reads: ReadCache;
  dialect: DialectName;
  /** Whether PostgreSQL answered its last statement (SQLite, a local file, is always up). */
  health: DatabaseHealth;
  close(): Promise<void>;
}

/** How long PostgreSQL may take before a request gives up on it with a 503 (see README, Configuration). */
export interface DatabaseTimeouts {
  /** To open a connection, or to wait for a free one in the pool. */
  connectMs: number;
  /** For one statement, enforced by the server (statement_timeout) and, should it hang, by the client; 0 for none. */
  statementMs: number;
}

const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = { connectMs: 2000, statementMs: 5000 };

// COUNT(*) and other int8 results arrive as strings by default; every int8 we store fits a JS number.
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20) return (value: string) => Number.parseInt(value, 10);
    return pg.types.getTypeParser(oid, format);
  },
};

async function openPostgres(
  url: string,
  schema: string | null,
  timeouts: DatabaseTimeouts,
  health: DatabaseHealth,
): Promise<DatabaseHandle> {
  if (schema) {
    const admin = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeouts.connectMs });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types: pgTypes,
    connectionTimeoutMillis: timeouts.connectMs,
    keepAlive: true,
    ...(timeouts.statementMs > 0
      ? {
          statement_timeout: timeouts.statementMs,
          // A server that stops answering altogether (frozen, partitioned) cannot enforce its own timeout.
          query_timeout: timeouts.statementMs + 1000,
          // A transaction left open by a hung client must not hold its locks for long.
          idle_in_transaction_session_timeout: 2 * timeouts.statementMs,
        }
      : {}),
    ...(schema ? { options: `-c search_path="${schema}"` } : {}),
  });
  // The read cache checks the data version through the handle it belongs to (ADR 0008).
  const reads = new PostgresReadCache(() => db);
  const db: HandleDb = new HandleDb(new PostgresDialect({ pool: resilientPool(pool, health) }), reads, { sent: 0 });
  return { db, reads: db.reads, dialect: 'postgres', health, close: () => db.destroy() };
}

function openSqlite(file: string): DatabaseHandle {
  if (file !== ':memory:') createPrivateFile(file);
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // Several processes may share one file (CLI beside a running server): wait for the lock, don't fail.
  sqlite.pragma('busy_timeout = 5000');
  const sent: StatementCount = { sent: 0 };
  const cache = new SqliteReadCache(sqlite, sent);
  // Off only in bench/ab.ts: every point read asks SQLite (src/lib/hot-path.ts).
  const reads = hotPath.sqliteReadCache ? cache : new DatabaseReads(true);
  const db = new HandleDb(new FifoSqliteDialect({ database: { close: () => sqlite.close(), prepare: cache.prepare } }), reads, sent);
  return { db, reads, dialect: 'sqlite', health: new DatabaseHealth(), close: () => db.destroy() };
}

/**
 * Opens the database named by the URL: PostgreSQL for `postgres://…`, otherwise a SQLite file.
 * `health` hears when PostgreSQL stops or starts answering.
 */
export async function openDatabase(
  url: string,
  schema: string | null = null,
  timeouts: DatabaseTimeouts = DEFAULT_DATABASE_TIMEOUTS,
  health = new DatabaseHealth(),
): Promise<DatabaseHandle> {
  return isPostgresUrl(url) ? openPostgres(url, schema, timeouts, health) : openSqlite(url.replace(/^sqlite:(\/\/)?/, ''));
}

export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
