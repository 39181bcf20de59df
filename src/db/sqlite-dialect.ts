import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig } from 'kysely';

/** Hands the one connection to waiters in arrival order, waking exactly one per release. */
class FifoLock {
  private held = false;
  private readonly waiters: Array<() => void> = [];

  async acquire(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.held = false;
  }
}

/**
 * Kysely's SQLite driver guards its single connection with a mutex that wakes every waiter on each
 * release, and all but one go back to sleep: with many requests in flight that costs more than the
 * queries. This driver keeps the same one-connection discipline (a transaction still holds it across
 * awaits) with a FIFO hand-over instead, and begins transactions IMMEDIATE.
 */
class FifoSqliteDriver extends SqliteDriver {
  private connection: DatabaseConnection | null = null;
  private readonly lock = new FifoLock();

  override async init(): Promise<void> {
    await super.init();
    this.connection = await super.acquireConnection();
    await super.releaseConnection();
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    await this.lock.acquire();
    if (!this.connection) throw new Error('SQLite driver used before init');
    return this.connection;
  }

  override async releaseConnection(): Promise<void> {
    this.lock.release();
  }

  /**
   * A plain (deferred) BEGIN takes the write lock only at the first write. If another process (the
   * CLI beside a server, a second server) commits between this transaction's first read and its first
   * write, SQLite refuses that write at once with SQLITE_BUSY_SNAPSHOT, past busy_timeout. IMMEDIATE
   * takes the write lock up front, where busy_timeout waits for it.
   */
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

export class FifoSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }

  override createDriver(): Driver {
    return new FifoSqliteDriver(this.settings);
  }
}
