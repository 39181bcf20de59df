import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { isPostgresUrl } from '../config/config.js';
import type { Database } from './schema.js';
import { DatabaseHealth, resilientPool } from './availability.js';
import { FifoSqliteDialect } from './sqlite-dialect.js';
import { createPrivateFile } from './private-file.js';
import { cachedReads, statementCache, type CachedReads, type DirectReader } from './sqlite-reads.js';

export type DialectName = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;

// Statements sent per Kysely instance: tests use it to prove a path (a forged token) touches no storage.
const statementCounts = new WeakMap<object, { count: number }>();

const directReaders = new WeakMap<object, CachedReads>();

/** The synchronous reader of a SQLite database handle (not of a transaction, nor of PostgreSQL). */
export function directReaderOf(db: Db): DirectReader | undefined {
  return directReaders.get(db)?.read;
}

/** Called as each request arrives: its reads then see every commit made before it, by any process. */
export function requestArrived(db: Db): void {
  directReaders.get(db)?.requestArrived();
}

/**
 * For a request about to read: a promise to await first when one check of the database can serve
 * every request that arrived with it (SQLite, see db/sqlite-reads.ts); undefined when there is no
 * need to wait.
 */
export function readsSettled(db: Db): Promise<void> | undefined {
  return directReaders.get(db)?.settled();
}

/** How many statements this database handle has sent since it was opened. */
export function statementsSent(db: Db): number {
  return statementCounts.get(db)?.count ?? 0;
}

function countedKysely(dialect: PostgresDialect | SqliteDialect): { db: Db; counter: { count: number } } {
  const counter = { count: 0 };
  const db = new Kysely<Database>({ dialect, log: () => void counter.count++ });
  statementCounts.set(db, counter);
  return { db, counter };
}

export interface DatabaseHandle {
  db: Db;
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

export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = { connectMs: 2000, statementMs: 5000 };

// COUNT(*) and other int8 results arrive as strings by default; every int8 we store fits a JS number.
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20) return (value: string) => Number.parseInt(value, 10);
    return pg.types.getTypeParser(oid, format);
  },
};

async function openPostgres(url: string, schema: string | null, timeouts: DatabaseTimeouts, health: DatabaseHealth): Promise<DatabaseHandle> {
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
    ...(timeouts.statementMs > 0 ? {
      statement_timeout: timeouts.statementMs,
      // A server that stops answering altogether (frozen, partitioned) cannot enforce its own timeout.
      query_timeout: timeouts.statementMs + 1000,
      // A transaction left open by a hung client must not hold its locks for long.
      idle_in_transaction_session_timeout: 2 * timeouts.statementMs,
    } : {}),
    ...(schema ? { options: `-c search_path="${schema}"` } : {}),
  });
  const { db } = countedKysely(new PostgresDialect({ pool: resilientPool(pool, health) }));
  return { db, dialect: 'postgres', health, close: () => db.destroy() };
}

function openSqlite(file: string): DatabaseHandle {
  if (file !== ':memory:') createPrivateFile(file);
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // Several processes may share one file (CLI beside a running server): wait for the lock, don't fail.
  sqlite.pragma('busy_timeout = 5000');
  let writes = 0;
  const prepare = statementCache(sqlite, () => void writes++);
  const { db, counter } = countedKysely(new FifoSqliteDialect({ database: { close: () => sqlite.close(), prepare } }));
  directReaders.set(db, cachedReads(sqlite, prepare, () => void counter.count++, () => writes));
  return { db, dialect: 'sqlite', health: new DatabaseHealth(), close: () => db.destroy() };
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
