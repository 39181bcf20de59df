import type SQLite from 'better-sqlite3';

/**
 * Runs a read at once; null when it must queue behind Kysely instead (a transaction holds the
 * connection). `key` names the arguments for the cache: equal keys must mean equal parameters, which
 * `bind(args)` gives when SQLite must be asked.
 */
export type DirectReader = (
  text: string,
  key: string,
  bind: (args: readonly string[]) => readonly unknown[],
  args: readonly string[],
) => readonly unknown[] | null;

const MAX_CACHED_RESULTS = 10_000;

/**
 * Statements by SQL text. Kysely prepares every query anew, and with better-sqlite3 preparing costs
 * about as much as running a small indexed query. Statements that write are wrapped so that every
 * write this process makes is counted (see `cachedReads`).
 */
export function statementCache(sqlite: SQLite.Database, onWrite: () => void) {
  const statements = new Map<string, SQLite.Statement>();
  return (text: string): SQLite.Statement => {
    let statement = statements.get(text);
    if (!statement) {
      // `in (?, ?, …)` lists make texts vary: start over rather than grow without bound.
      if (statements.size >= 1000) statements.clear();
      statement = sqlite.prepare(text);
      if (!statement.reader) statement = countingWrites(statement, onWrite);
      statements.set(text, statement);
    }
    return statement;
  };
}

/** What Kysely's SQLite driver uses of a statement, with `run` counting the write it makes. */
function countingWrites(statement: SQLite.Statement, onWrite: () => void): SQLite.Statement {
  const counted = {
    reader: statement.reader,
    all: statement.all.bind(statement),
    get: statement.get.bind(statement),
    iterate: statement.iterate.bind(statement),
    run(...parameters: unknown[]) {
      try {
        return statement.run(...parameters);
      } finally {
        onWrite();
      }
    },
  };
  return counted as unknown as SQLite.Statement;
}

/** Point reads on SQLite, and the hooks that keep them fresh. */
export interface CachedReads {
  read: DirectReader;
  /** A request has arrived: its reads must see every commit made before it (see below). */
  requestArrived(): void;
  /** Resolves once reads see every commit made before the requests that arrived so far (see below). */
  settled(): Promise<void>;
}

/**
 * Hot-path point reads (token lookups, a caller's role, one task) served without Kysely's connection
 * hand-over and, while nothing has changed, without SQLite at all.
 *
 * - Direct: better-sqlite3 is synchronous, so a read outside any transaction runs at once and sees
 *   exactly what a queued one would. While a transaction holds the connection, reading through it
 *   would see uncommitted rows, so the read queues behind Kysely like any other (`null`).
 * - Cached: a result is reused only while the database is provably unchanged since it was read: no
 *   write by this process (every writing statement, BEGIN and COMMIT included, bumps a counter,
 *   checked on every read) and the same `PRAGMA data_version`, which SQLite changes whenever another
 *   connection, in this process or any other, commits.
 * - The pragma costs as much as a small query, so it is asked once per request rather than per read:
 *   again at the first read after any request arrives (so a request sees every commit that happened
 *   before it, whichever process made it: a revocation or a demotion applies to the very next
 *   request) and at least once per turn of the event loop (for work outside requests).
 * - Under load even once per request is costly: the pragma takes two file-lock system calls. So an
 *   authenticating request first awaits `settled()`: the requests read off the sockets in one turn of
 *   the event loop wait together, and a single check made after they all arrived serves them all.
 */
export function cachedReads(
  sqlite: SQLite.Database,
  prepare: (text: string) => SQLite.Statement,
  countQuery: () => void,
  writesSoFar: () => number,
): CachedReads {
  const dataVersion = sqlite.prepare('PRAGMA data_version').pluck();
  // By SQL text (the same string object on every call, so its hash is computed once), then arguments.
  const results = new Map<string, Map<string, readonly unknown[]>>();
  let size = 0;
  let seenWrites = -1;
  let seenVersion = -1;
  let versionKnown = false;
  let forgetScheduled = false;
  const forgetVersion = () => {
    versionKnown = false;
    forgetScheduled = false;
  };

  const checkVersion = () => {
    const version = dataVersion.get() as number;
    versionKnown = true;
    if (!forgetScheduled) {
      forgetScheduled = true;
      setImmediate(forgetVersion);
    }
    if (version !== seenVersion) {
      results.clear();
      size = 0;
      seenVersion = version;
    }
  };

  // One check for every request that arrives before it runs. setImmediate runs after the poll phase
  // has read all ready sockets, so every waiting request arrived before the check it waits for. If
  // the version is already known when it runs, a check was made after the latest arrival.
  let pendingCheck: Promise<void> | null = null;
  const settled = () =>
    (pendingCheck ??= new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        pendingCheck = null;
        try {
          if (!versionKnown) checkVersion();
          resolve();
        } catch (err) {
          // A closed or broken database fails the waiting requests, not the process.
          reject(err);
        }
      });
    }));

  const read: DirectReader = (text, key, bind, args) => {
    if (sqlite.inTransaction) return null;
    const statement = prepare(text);
    if (!statement.reader) return null;
    if (!versionKnown) checkVersion();
    const writes = writesSoFar();
    if (writes !== seenWrites || size >= MAX_CACHED_RESULTS) {
      results.clear();
      size = 0;
      seenWrites = writes;
    }
    let ofQuery = results.get(text);
    if (!ofQuery) results.set(text, (ofQuery = new Map()));
    let rows = ofQuery.get(key);
    if (!rows) {
      countQuery();
      // Shared by every later caller: frozen, so no caller can change what the next one reads.
      rows = Object.freeze((statement.all(bind(args)) as object[]).map((row) => Object.freeze(row)));
      ofQuery.set(key, rows);
      size++;
    }
    return rows;
  };
  return { read, requestArrived: () => void (versionKnown = false), settled };
}
