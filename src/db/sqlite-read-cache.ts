import type SQLite from 'better-sqlite3';
import type { Compilable, Kysely } from 'kysely';
import { readOnly, type DeepReadonly } from '../lib/deep-readonly.js';
import { CompiledReads, type PointRead } from './point-read.js';
import type { ReadCache, SharedRows, StatementCount } from './read-cache.js';
import type { Database } from './schema.js';
import { parametersKey, SharedResults } from './shared-results.js';

const MAX_STATEMENTS = 1000;

/**
 * SQLite's read path: hot-path point reads served without Kysely's connection hand-over and, while
 * nothing has changed, without SQLite at all (ADR 0001).
 *
 * - Direct: better-sqlite3 is synchronous, so a read outside any transaction runs at once and sees
 *   exactly what a queued one would. While a transaction holds the connection, reading through it
 *   would see uncommitted rows, so the read queues behind Kysely like any other.
 * - Cached: only read-only statements (`statement.readonly`), and a result is reused only while the
 *   database is provably unchanged since it was read: no write by this process (every statement
 *   that is not read-only, `UPDATE … RETURNING` included, bumps a counter checked on every read) and
 *   the same `PRAGMA data_version`, which SQLite changes whenever another connection, in this process
 *   or any other, commits.
 * - The pragma costs as much as a small query, so it is asked once per request rather than per read:
 *   again at the first read after any request arrives (so a request sees every commit that happened
 *   before it, whichever process made it: a revocation or a demotion applies to the very next
 *   request) and at least once per turn of the event loop (for work outside requests).
 * - Under load even once per request is costly: the pragma takes two file-lock system calls. So an
 *   authenticating request first awaits `settled()`: the requests read off the sockets in one turn of
 *   the event loop wait together, and a single check made after they all arrived serves them all.
 */
export class SqliteReadCache implements ReadCache {
  private readonly statements = new Map<string, SQLite.Statement>();
  private readonly compiled = new CompiledReads();
  private readonly dataVersion: SQLite.Statement;
  private readonly results = new SharedResults();
  private writes = 0;
  private seenWrites = -1;
  private seenVersion = -1;
  private versionKnown = false;
  private forgetScheduled = false;
  private pendingCheck: Promise<void> | null = null;

  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly sent: StatementCount,
  ) {
    this.dataVersion = sqlite.prepare('PRAGMA data_version').pluck();
  }

  /**
   * Statements by SQL text, for Kysely's driver and the direct reads. Kysely prepares every query anew,
   * and with better-sqlite3 preparing costs about as much as running a small indexed query. A statement
   * that is not read-only is wrapped so that every write this process makes is counted.
   */
  readonly prepare = (text: string): SQLite.Statement => {
    let statement = this.statements.get(text);
    if (!statement) {
      // `in (?, ?, …)` lists make texts vary: start over rather than grow without bound.
      if (this.statements.size >= MAX_STATEMENTS) this.statements.clear();
      statement = this.sqlite.prepare(text);
      if (!statement.readonly) statement = countingWrites(statement, () => void this.writes++);
      this.statements.set(text, statement);
    }
    return statement;
  };

  async rows<Args extends string[], Row>(db: Kysely<Database>, read: PointRead<Args, Row>, args: Args): Promise<SharedRows<Row>> {
    const { compiled, bind } = this.compiled.of(db, read, args);
    // Keyed by the arguments: fewer than the parameters when one is used twice (a token's two hashes).
    const key = args.length === 1 ? args[0]! : args.join('\u0000');
    const direct = this.direct(compiled.sql, key, () => bind(args));
    if (direct) return direct as SharedRows<Row>;
    return readOnly((await db.executeQuery<Row>({ ...compiled, parameters: bind(args) })).rows);
  }

  async queryRows<Row>(db: Kysely<Database>, query: Compilable<Row>): Promise<SharedRows<Row>> {
    const compiled = query.compile();
    const direct = this.direct(compiled.sql, parametersKey(compiled.parameters), () => compiled.parameters);
    if (direct) return direct as SharedRows<Row>;
    return readOnly((await db.executeQuery(compiled)).rows);
  }

  keep<Answer>(name: string, sources: readonly [object, ...object[]], derive: () => Answer): DeepReadonly<Answer> {
    return this.results.keep(name, sources, derive);
  }

  requestArrived(): void {
    this.versionKnown = false;
  }

  // Every write this process makes is counted where it runs (`prepare`), before its caller goes on.
  statementRan(): void {}

  // One check for every request that arrives before it runs. setImmediate runs after the poll phase
  // has read all ready sockets, so every waiting request arrived before the check it waits for. If
  // the version is already known when it runs, a check was made after the latest arrival.
  settled(): Promise<void> {
    return (this.pendingCheck ??= new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        this.pendingCheck = null;
        try {
          if (!this.versionKnown) this.checkVersion();
          resolve();
        } catch (err) {
          // A closed or broken database fails the waiting requests, not the process.
          reject(err);
        }
      });
    }));
  }

  /** Rows from memory or straight from SQLite; null when the read must queue behind Kysely instead. */
  private direct(text: string, key: string, parameters: () => readonly unknown[]): SharedRows<unknown> | null {
    if (this.sqlite.inTransaction) return null;
    const statement = this.prepare(text);
    if (!statement.readonly) return null;
    if (!this.versionKnown) this.checkVersion();
    if (this.writes !== this.seenWrites) {
      this.results.clear();
      this.seenWrites = this.writes;
    }
    const rows = this.results.get(text, key);
    if (rows) return rows;
    this.sent.sent++;
    return this.results.put(text, key, statement.all(parameters()) as object[]);
  }

  private checkVersion(): void {
    const version = this.dataVersion.get() as number;
    this.versionKnown = true;
    if (!this.forgetScheduled) {
      this.forgetScheduled = true;
      setImmediate(() => {
        this.versionKnown = false;
        this.forgetScheduled = false;
      });
    }
    if (version !== this.seenVersion) {
      this.results.clear();
      this.seenVersion = version;
    }
  }
}

/** What Kysely's SQLite driver uses of a statement, with every run counted as the write it may make. */
function countingWrites(statement: SQLite.Statement, onWrite: () => void): SQLite.Statement {
  const counted =
    <Args extends unknown[], Result>(run: (...args: Args) => Result) =>
    (...args: Args): Result => {
      try {
        return run(...args);
      } finally {
        onWrite();
      }
    };
  const wrapped = {
    reader: statement.reader,
    readonly: statement.readonly,
    all: counted(statement.all.bind(statement)),
    get: counted(statement.get.bind(statement)),
    iterate: counted(statement.iterate.bind(statement)),
    run: counted(statement.run.bind(statement)),
  };
  return wrapped as unknown as SQLite.Statement;
}
