import type { Config } from './config/config.js';
import { DatabaseHealth } from './db/availability.js';
import { openDatabase, type Db, type DialectName } from './db/database.js';
import type { ReadCache } from './db/read-cache.js';
import { migrateDatabase } from './db/migrator.js';
import { RateLimiter } from './ratelimit/limiter.js';
import { UsageTracker } from './auth/usage-tracker.js';
import { registerUsageFlushers } from './credentials/registry.js';
import { RefusedUseThrottle } from './credentials/refused-use-audit.js';
import { StatusLog } from './system/status-log.js';
import { WakeSignal } from './lib/wake-signal.js';
import { countTokenUsesOf, TokenUseBuffer } from './token-usage/use-buffer.js';

/** Everything a request or a background job needs, built in one place and handed down. */
export interface AppContext {
  config: Config;
  db: Db;
  /** The database handle's read path (the same one `db` carries): hot-path point reads and answers kept from them. */
  reads: ReadCache;
  dialect: DialectName;
  /** Whether the database answers (GET /readyz); PostgreSQL can go away, SQLite cannot. */
  databaseHealth: DatabaseHealth;
  rateLimiter: RateLimiter;
  /** Where a dependency going away or coming back is logged (the app hands its logger over). */
  statusLog: StatusLog;
  usage: UsageTracker;
  /** Token uses per permission per day, counted by authorize() and written in batches by the token-usage job. */
  tokenUses: TokenUseBuffer;
  /** Refused uses of a dead token are audited at most once a minute per token (credentials/refused-use-audit.ts). */
  refusedUseThrottle: RefusedUseThrottle;
  /** A delivery is due now (a redelivery, a ping): the webhook dispatcher looks at once instead of at its next poll. */
  deliveriesDue: WakeSignal;
  /** Background work started with the app (webhook dispatcher, pruning) stops through these. */
  onClose: Array<() => Promise<void>>;
  close(): Promise<void>;
}

/** The composition root: opens and migrates the database and builds the shared services. */
export async function createContext(config: Config): Promise<AppContext> {
  const statusLog = new StatusLog();
  const databaseHealth = new DatabaseHealth((up, err) =>
    up
      ? statusLog.write('info', { database: 'up' }, 'The database answers again')
      : statusLog.write(
          'warn',
          { err, database: 'down' },
          'The database does not answer: requests get 503 DATABASE_UNAVAILABLE until it is back',
        ),
  );
  const timeouts = { connectMs: config.databaseConnectTimeoutMs, statementMs: config.databaseStatementTimeoutMs };
  const handle = await openDatabase(config.databaseUrl, config.databaseSchema, timeouts, databaseHealth);
  await migrateDatabase(handle, config.databaseUrl, config.databaseSchema, config.databaseConnectTimeoutMs);
  const rateLimiter = config.redisUrl
    ? RateLimiter.redis(config.redisUrl, { commandTimeoutMs: config.redisCommandTimeoutMs, log: statusLog })
    : RateLimiter.onThisMachine(statusLog);
  const usage = new UsageTracker(handle.db);
  registerUsageFlushers(usage);
  const tokenUses = new TokenUseBuffer();
  countTokenUsesOf(handle.db, tokenUses);
  const onClose: Array<() => Promise<void>> = [];
  return {
    config,
    db: handle.db,
    reads: handle.reads,
    dialect: handle.dialect,
    databaseHealth,
    rateLimiter,
    statusLog,
    usage,
    tokenUses,
    refusedUseThrottle: new RefusedUseThrottle(),
    deliveriesDue: new WakeSignal(),
    onClose,
    async close() {
      for (const stop of onClose.reverse()) await stop();
      await usage.stop();
      await rateLimiter.close();
      await handle.close();
    },
  };
}
