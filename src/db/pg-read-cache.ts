import { performance } from 'node:perf_hooks';
import { CompiledQuery, type Compilable, type InsertQueryNode, type Kysely, type OperationNode, type UpdateQueryNode } from 'kysely';
import { readOnly, type DeepReadonly } from '../lib/deep-readonly.js';
import { CompiledReads, type PointRead } from './point-read.js';
import type { ReadCache, SharedRows } from './read-cache.js';
import type { Database } from './schema.js';
import { parametersKey, SharedResults } from './shared-results.js';

/**
 * Columns whose updates do not move the data version (migration 20261204_pg_data_version), because no
 * cached read depends on them: last use, flushed in batches. A table is read from memory only when its
 * triggers watch every other column; a column added later and left out makes its reads ask the database.
 */
const UNWATCHED_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  sessions: ['last_seen_at', 'ip'],
  personal_access_tokens: ['last_used_at', 'last_used_ip'],
  workspace_access_tokens: ['last_used_at', 'last_used_ip'],
  agent_tokens: ['last_used_at', 'last_used_ip'],
  delegated_tokens: ['last_used_at', 'last_used_ip'],
};

/**
 * How long a check's answer may serve reads that no request awaited a check for (work outside requests):
 * a request always awaits a check that started after it arrived (`settled()`).
 */
const UNREQUESTED_READS_MS = 1000;
const MAX_QUERY_SHAPES = 1000;

// Raw SQL that only reads (a ping) or opens a transaction; one that ends it; anything else run raw may write.
const PLAIN_SELECT = /^\s*select\b/i;
const TRANSACTION_START = /^\s*(begin|start transaction|savepoint)\b/i;
const TRANSACTION_END = /^\s*(commit|rollback|release|end)\b/i;

const CHECK = CompiledQuery.raw('select version::text as version, settled from taskgate_data_version()');

// Tables whose triggers move the version on insert, delete and truncate, and on updates of every column
// but those that are not watched (listed per table).
const WATCHED_TABLES = CompiledQuery.raw(`
  select c.relname as name,
    array(
      select a.attname::text from pg_attribute a
      where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and not exists (
        select 1 from pg_trigger u
        where u.tgrelid = c.oid and u.tgfoid = f.oid and u.tgenabled <> 'D' and u.tgtype & 16 = 16
          and (cardinality(u.tgattr::int2[]) = 0 or a.attnum = any (u.tgattr::int2[])))
    ) as unwatched
  from pg_proc f
  join pg_trigger t on t.tgfoid = f.oid and t.tgenabled <> 'D' and t.tgtype & 44 = 44
  join pg_class c on c.oid = t.tgrelid
  where f.proname = 'taskgate_data_changed' and f.pronamespace = current_schema()::regnamespace
    and c.relnamespace = current_schema()::regnamespace`);

interface Check {
  version: string;
  settled: boolean;
}

// 42883 undefined_function, 42P01 undefined_table, 3F000 invalid_schema_name: a database not migrated (yet).
const NOT_MIGRATED = new Set(['42883', '42P01', '3F000']);

function notMigrated(err: unknown): boolean {
  return typeof err === 'object' && err !== null && NOT_MIGRATED.has(String((err as { code?: unknown }).code));
}

/**
 * PostgreSQL's read path (ADR 0008): point reads compiled once per handle and, like SQLite's (ADR 0001),
 * rows kept in memory while the database is unchanged, by any process.
 *
 * - "Unchanged" is the data version: statement-level triggers on every table a cached read reads move a
 *   sequence (`taskgate_data_version`), and one query (`taskgate_data_version()`) reads it. Updates of
 *   last-use columns alone do not move it, so batched last-use flushes leave the cache whole.
 * - A bump is made before its transaction commits. A writer holds a shared advisory lock from its bump
 *   until it ends, and the check takes that lock exclusively if it can (`settled`): a version seen with
 *   the lock is one whose every bump is committed, so rows read after that check may be kept under it.
 *   A version first seen without the lock is not trusted (every read asks the database) until a check
 *   sees it settled; a version that has not moved since one was trusted stays trusted.
 * - Single flight: `settled()` gives the check every request awaiting it shares, one that starts after
 *   the call, so a request sees every commit made before it arrived, in any process. While a check is
 *   running, the requests arriving meanwhile wait together for the next one.
 * - Rows are kept only for a plain SELECT of tables whose triggers the catalogue shows complete
 *   (read once, at the first check that finds the data version); other reads ask the database.
 */
export class PostgresReadCache implements ReadCache {
  private readonly compiled = new CompiledReads();
  private readonly results = new SharedResults();
  /** Whether rows of a query (by SQL text) may be kept: a SELECT of watched tables only. */
  private readonly keepable = new Map<string, boolean>();
  /** Tables whose writes move the version; null until read from the catalogue. */
  private watched: ReadonlySet<string> | null = null;
  /** The version the kept rows belong to; null while none is trusted. */
  private version: string | null = null;
  /** Moves whenever the kept rows are dropped: a read started before then does not keep its rows. */
  private generation = 0;
  /** When the latest check that confirmed `version` started. */
  private confirmedAt = Number.NEGATIVE_INFINITY;
  private running: Promise<void> | null = null;
  /** Writes this process made that may change kept rows, and whether one may not be committed yet. */
  private ownWrites = 0;
  private ownWritePending = false;
  private queued: Promise<void> | null = null;

  constructor(private readonly db: () => Kysely<Database>) {}

  async rows<Args extends string[], Row>(db: Kysely<Database>, read: PointRead<Args, Row>, args: Args): Promise<SharedRows<Row>> {
    const { compiled, bind } = this.compiled.of(db, read, args);
    // Keyed by the arguments: fewer than the parameters when one is used twice (a token's two hashes).
    const key = args.length === 1 ? args[0]! : args.join('\u0000');
    return this.read(db, compiled, key, () => bind(args)) as Promise<SharedRows<Row>>;
  }

  async queryRows<Row>(db: Kysely<Database>, query: Compilable<Row>): Promise<SharedRows<Row>> {
    const compiled = query.compile();
    return this.read(db, compiled, parametersKey(compiled.parameters), () => compiled.parameters) as Promise<SharedRows<Row>>;
  }

  keep<Answer>(name: string, sources: readonly [object, ...object[]], derive: () => Answer): DeepReadonly<Answer> {
    return this.results.keep(name, sources, derive);
  }

  // Every authenticating request awaits `settled()`, whose check starts after it is called.
  requestArrived(): void {}

  /**
   * This process's own writes are seen at once, without waiting for a check: a statement that may change
   * what is kept (a write, or the commit of a transaction that wrote) drops it and trusts no version
   * until the next check, and a read that was running meanwhile keeps nothing. Writes no kept row
   * depends on leave it whole: an update of last-use columns only (the batched flush), an insert into a
   * table no trigger watches (events, audit, usage counts).
   */
  statementRan(query: CompiledQuery): void {
    if (query === CHECK || query === WATCHED_TABLES) return;
    const node = query.query;
    // A SELECT with a WITH may hide a write in it (`with x as (update …) select`).
    if (node.kind === 'SelectQueryNode' && node.with === undefined) return;
    if (node.kind === 'RawNode') {
      if (PLAIN_SELECT.test(query.sql) || TRANSACTION_START.test(query.sql)) return;
      // A commit (or rollback) ends a transaction that may have written: while an own write may be
      // uncommitted, it drops what is kept as the write itself did.
      if (TRANSACTION_END.test(query.sql)) {
        if (this.ownWritePending) this.forget();
        return;
      }
    } else if (this.changesNothingKept(node)) {
      return;
    }
    this.ownWrites++;
    this.ownWritePending = true;
    this.forget();
  }

  private changesNothingKept(node: OperationNode): boolean {
    const table = tableName(node.kind === 'InsertQueryNode' ? (node as InsertQueryNode).into : (node as UpdateQueryNode).table);
    if (table === null) return false;
    if (node.kind === 'InsertQueryNode') return this.watched !== null && !this.watched.has(table);
    if (node.kind !== 'UpdateQueryNode') return false;
    const unwatched = UNWATCHED_COLUMNS[table];
    const updates = (node as UpdateQueryNode).updates ?? [];
    return unwatched !== undefined && updates.length > 0 && updates.every((update) => unwatched.includes(columnName(update.column) ?? ''));
  }

  settled(): Promise<void> {
    return (this.queued ??= this.queueCheck());
  }

  private async queueCheck(): Promise<void> {
    // A running check may have read the version before this request arrived: wait for it, then run another.
    if (this.running) await this.running.catch(() => undefined);
    // Then one more turn of the event loop, so that the requests read off the sockets meanwhile share it.
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.queued = null;
    const run = this.check();
    this.running = run;
    try {
      await run;
    } finally {
      if (this.running === run) this.running = null;
    }
  }

  private async check(): Promise<void> {
    const startedAt = performance.now();
    const ownWrites = this.ownWrites;
    let answer: Check | undefined;
    try {
      answer = (await this.db().executeQuery<Check>(CHECK)).rows[0];
      if (answer && this.watched === null) await this.readWatchedTables();
    } catch (err) {
      if (!notMigrated(err)) throw err;
    }
    // Settled: no writer anywhere holds the lock, so every own write made before the check has ended.
    if (answer?.settled && this.ownWrites === ownWrites) this.ownWritePending = false;
    if (answer && answer.version === this.version) {
      this.confirmedAt = Math.max(this.confirmedAt, startedAt);
      return;
    }
    this.forget();
    // A version first seen while a writer may not have committed yet is no version to keep rows under.
    if (answer?.settled) {
      this.version = answer.version;
      this.confirmedAt = startedAt;
    }
  }

  private async readWatchedTables(): Promise<void> {
    const { rows } = await this.db().executeQuery<{ name: string; unwatched: string[] }>(WATCHED_TABLES);
    const complete = rows.filter(({ name, unwatched }) => unwatched.every((column) => UNWATCHED_COLUMNS[name]?.includes(column)));
    this.watched = new Set(complete.map((row) => row.name));
    this.keepable.clear();
  }

  private forget(): void {
    this.results.clear();
    this.version = null;
    this.generation++;
  }

  private async read(
    db: Kysely<Database>,
    compiled: CompiledQuery<unknown>,
    key: string,
    parameters: () => readonly unknown[],
  ): Promise<SharedRows<unknown>> {
    const trusted = this.version !== null && performance.now() - this.confirmedAt < UNREQUESTED_READS_MS;
    if (trusted && this.mayKeep(compiled)) {
      const kept = this.results.get(compiled.sql, key);
      if (kept) return kept;
      const generation = this.generation;
      const { rows } = await db.executeQuery<object>({ ...compiled, parameters: parameters() });
      // Rows read while the version held may be kept under it; a check that moved it meanwhile says no.
      return generation === this.generation ? this.results.put(compiled.sql, key, rows) : readOnly(rows);
    }
    return readOnly((await db.executeQuery<object>({ ...compiled, parameters: parameters() })).rows);
  }

  private mayKeep(compiled: CompiledQuery<unknown>): boolean {
    let known = this.keepable.get(compiled.sql);
    if (known === undefined) {
      if (this.watched === null) return false;
      if (this.keepable.size >= MAX_QUERY_SHAPES) this.keepable.clear();
      known = readsOnly(compiled.query, this.watched);
      this.keepable.set(compiled.sql, known);
    }
    return known;
  }
}

const RAW_TABLES = /\b(from|join|into|update|table)\b/i;
const WRITES = new Set(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode', 'MergeQueryNode']);

/**
 * Whether a query is a SELECT that writes nothing and reads watched tables only (of the schema in use).
 * A table named in a column reference may be an alias (`t`.`id` of `personal_access_tokens as t`): the
 * aliased table itself is what must be watched.
 */
function readsOnly(root: OperationNode, watched: ReadonlySet<string>): boolean {
  if (root.kind !== 'SelectQueryNode') return false;
  const names = new Set(watched);
  for (const alias of tableAliases(root)) names.add(alias);
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (Array.isArray(value)) {
      pending.push(...value);
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    const node = value as { kind?: unknown; table?: { schema?: unknown; identifier?: { name?: unknown } } };
    if (typeof node.kind === 'string' && WRITES.has(node.kind)) return false;
    // Raw SQL that names tables of its own (a hand-written subquery) hides them from this walk.
    if (node.kind === 'RawNode' && RAW_TABLES.test(((value as { sqlFragments?: string[] }).sqlFragments ?? []).join(' '))) return false;
    if (node.kind === 'TableNode') {
      const name = node.table?.identifier?.name;
      if (node.table?.schema !== undefined || typeof name !== 'string' || !names.has(name)) return false;
    }
    for (const child of Object.values(value)) if (typeof child === 'object' && child !== null) pending.push(child);
  }
  return true;
}

/** The aliases of tables in a query (`t` of `personal_access_tokens as t`), wherever they are. */
function tableAliases(root: OperationNode): string[] {
  const aliases: string[] = [];
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value !== 'object' || value === null) continue;
    const node = value as { kind?: unknown; node?: { kind?: unknown }; alias?: { kind?: unknown; name?: unknown } };
    if (node.kind === 'AliasNode' && node.node?.kind === 'TableNode' && typeof node.alias?.name === 'string') aliases.push(node.alias.name);
    for (const child of Object.values(value)) if (typeof child === 'object' && child !== null) pending.push(child);
  }
  return aliases;
}

/** The table a write names (`tasks`, or `tasks as t`); null for anything else. */
function tableName(node: OperationNode | undefined): string | null {
  const table = node?.kind === 'AliasNode' ? (node as unknown as { node: OperationNode }).node : node;
  if (table?.kind !== 'TableNode') return null;
  const { schema, identifier } = (table as unknown as { table: { schema?: unknown; identifier: { name: string } } }).table;
  return schema === undefined ? identifier.name : null;
}

/** The column an update sets. */
function columnName(node: OperationNode): string | null {
  return node.kind === 'ColumnNode' ? (node as unknown as { column: { name: string } }).column.name : null;
}
