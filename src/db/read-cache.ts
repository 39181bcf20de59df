import { Kysely, type Compilable, type CompiledQuery, type Dialect } from 'kysely';
import { readOnly, type DeepReadonly } from '../lib/deep-readonly.js';
import { CompiledReads, type PointRead } from './point-read.js';
import type { Database } from './schema.js';

/** Rows a point read answers: possibly shared with every later caller, so nobody may change them. */
export type SharedRows<Row> = ReadonlyArray<DeepReadonly<Row>>;

/**
 * The read path of one database handle (ADR 0001, ADR 0008): hot-path point reads declared with
 * `cachedRead`, whole queries read through `cachedQuery`, and answers derived from their rows. Rows are
 * reused while the database is unchanged: on SQLite (`SqliteReadCache`) per `PRAGMA data_version`, on
 * PostgreSQL (`PostgresReadCache`) per a version its triggers move. Inside a transaction every read
 * asks the database.
 */
export interface ReadCache {
  /** The rows of a point read for these arguments (call it through the function `cachedRead` gives). */
  rows<Args extends string[], Row>(db: Kysely<Database>, read: PointRead<Args, Row>, args: Args): Promise<SharedRows<Row>>;
  /** The rows of a query built per call (call it through `cachedQuery`): kept like a point read's, by SQL and parameters. */
  queryRows<Row>(db: Kysely<Database>, query: Compilable<Row>): Promise<SharedRows<Row>>;
  /**
   * An answer derived from rows this cache handed out (or from answers it kept): derived once and
   * kept while every source is the very same shared object, since shared rows never change and any
   * change to the database gives new ones. From anything else it is derived afresh. `name` tells
   * apart what different callers derive from the same sources; one name, one kind of answer.
   */
  keep<Answer>(name: string, sources: readonly [object, ...object[]], derive: () => Answer): DeepReadonly<Answer>;
  /** A request has arrived: its reads must see every commit made before it, by any process. */
  requestArrived(): void;
  /** The handle sent a statement and it ran (or failed): any but a read may have changed the database. */
  statementRan(query: CompiledQuery): void;
  /**
   * For a request about to read: a promise to await first when one check of the database can serve
   * every request that arrived with it; undefined when there is no need to wait.
   */
  settled(): Promise<void> | undefined;
}

/** Reads that always ask the database: transactions (and a handle compiling each read once, uncached). */
export class DatabaseReads implements ReadCache {
  private readonly compiled: CompiledReads | null;

  constructor(compileOnce: boolean) {
    this.compiled = compileOnce ? new CompiledReads() : null;
  }

  async rows<Args extends string[], Row>(db: Kysely<Database>, read: PointRead<Args, Row>, args: Args): Promise<SharedRows<Row>> {
    if (!this.compiled) return readOnly((await db.executeQuery(read.build(db, ...args))).rows);
    const { compiled, bind } = this.compiled.of(db, read, args);
    return readOnly((await db.executeQuery<Row>({ ...compiled, parameters: bind(args) })).rows);
  }

  async queryRows<Row>(db: Kysely<Database>, query: Compilable<Row>): Promise<SharedRows<Row>> {
    return readOnly((await db.executeQuery(query.compile())).rows);
  }

  keep<Answer>(_name: string, _sources: readonly [object, ...object[]], derive: () => Answer): DeepReadonly<Answer> {
    return readOnly(derive());
  }

  requestArrived(): void {}

  statementRan(): void {}

  settled(): undefined {
    return undefined;
  }
}

// A transaction is a Kysely of its own, made per transaction: its reads are built each time, as Kysely
// would, and never cached (they may see the transaction's own uncommitted writes).
const TRANSACTION_READS = new DatabaseReads(false);

/** A statement counter: tests prove with it that a path (a forged token) touches no storage. */
export interface StatementCount {
  sent: number;
}

/**
 * The Kysely a database handle hands out as `db`. It carries the handle's read cache, so a service
 * given `db` (and never a context) reads through it, and it counts the statements it sends.
 */
export class HandleDb extends Kysely<Database> {
  constructor(
    dialect: Dialect,
    readonly reads: ReadCache,
    private readonly statements: StatementCount,
  ) {
    super({
      dialect,
      log: (event) => {
        statements.sent++;
        reads.statementRan(event.query);
      },
    });
  }

  /** How many statements this handle has sent since it was opened (rows answered from memory send none). */
  get statementsSent(): number {
    return this.statements.sent;
  }
}

/** The read cache behind a Kysely: its handle's, or one that always asks (a transaction). */
export function readsOf(db: Kysely<Database>): ReadCache {
  return db instanceof HandleDb ? db.reads : TRANSACTION_READS;
}

/**
 * Declares a hot-path point read (a credential by hash, a caller's role, one task): compiled once per
 * database handle and, on SQLite, served from memory while the database is unchanged (ADR 0001).
 * Arguments must be strings used as plain values. The rows may be shared by every later caller, so
 * they are typed (and frozen) read-only; derive answers from them with `readsOf(db).keep(...)`.
 */
export function cachedRead<Args extends string[], Row>(
  build: (db: Kysely<Database>, ...args: Args) => Compilable<Row>,
): (db: Kysely<Database>, ...args: Args) => Promise<SharedRows<Row>> {
  const read: PointRead<Args, Row> = { build };
  return (db, ...args) => readsOf(db).rows(db, read, args);
}

/**
 * The rows of a read-only query whose shape varies per call (a filtered page): built and compiled each
 * time, but kept by its SQL and parameters while the database is unchanged, like a point read's. Only
 * a plain SELECT of tables the cache can watch is kept (on PostgreSQL, ADR 0008); anything else, and
 * every read inside a transaction, asks the database. The rows are shared: derive with `keep`.
 */
export function cachedQuery<Row>(db: Kysely<Database>, query: Compilable<Row>): Promise<SharedRows<Row>> {
  return readsOf(db).queryRows(db, query);
}
