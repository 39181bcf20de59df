import type { Config } from './config/config.js';
import { openDatabase, type Db, type DialectName } from './db/database.js';
import { migrateToLatest } from './db/migrator.js';
import { RateLimiter } from './ratelimit/limiter.js';
import { UsageTracker } from './auth/usage-tracker.js';
import { registerUsageFlushers } from './auth/usage-flushers.js';

/** Everything a request or a background job needs, built in one place and handed down. */
export interface AppContext {
  config: Config;
  db: Db;
  dialect: DialectName;
  rateLimiter: RateLimiter;
  usage: UsageTracker;
  /** Background work started with the app (webhook dispatcher, pruning) stops through these. */
  onClose: Array<() => Promise<void>>;
  close(): Promise<void>;
}

/** The composition root: opens and migrates the database and builds the shared services. */
export async function createContext(config: Config): Promise<AppContext> {
  const handle = await openDatabase(config.databaseUrl, config.databaseSchema);
  await migrateToLatest(handle.db, handle.dialect);
  const rateLimiter = config.redisUrl ? RateLimiter.redis(config.redisUrl) : RateLimiter.memory();
  const usage = new UsageTracker(handle.db);
  registerUsageFlushers(usage);
  const onClose: Array<() => Promise<void>> = [];
  return {
    config,
    db: handle.db,
    dialect: handle.dialect,
    rateLimiter,
    usage,
    onClose,
    async close() {
      for (const stop of onClose.reverse()) await stop();
      await usage.stop();
      await rateLimiter.close();
      await handle.close();
    },
  };
}
