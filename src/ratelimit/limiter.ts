import cluster from 'node:cluster';
import { StatusLog } from '../system/status-log.js';
import { ClusterCounts, PrimaryLink } from './cluster-counts.js';
import type { BudgetCounts, RateDecision, RateWindow } from './decision.js';
import { MemoryCounts } from './memory-counts.js';
import { RedisCounts, RedisLink } from './redis-fallback.js';

export type { RateDecision, RateWindow } from './decision.js';

/** Where the counters live: one process's memory, Redis, or memory while Redis does not answer. */
export type RateLimitMode = 'memory' | 'redis' | 'memory-fallback';

/** One window shape in one namespace (say, 100 requests a minute), counted separately for each key. */
export class RateBudget {
  /** The IETF `RateLimit-Policy` header value, the same for every key. */
  readonly policyHeader: string;

  constructor(
    readonly window: RateWindow,
    private readonly counts: BudgetCounts,
  ) {
    this.policyHeader = `"default";q=${window.points};w=${window.durationSeconds}`;
  }

  /** Spends one point of `key`'s budget and says whether it was there to spend. */
  consume(key: string): Promise<RateDecision> {
    return this.counts.consume(key);
  }

  /** How much of `key`'s budget is spent, without spending any. */
  peek(key: string): Promise<RateDecision> {
    return this.counts.peek(key);
  }

  reset(key: string): Promise<void> {
    return this.counts.reset(key);
  }
}

export interface RedisOptions {
  /** How long one call may wait for Redis before this process counts in memory instead. */
  commandTimeoutMs: number;
  /** Where switching to memory and back is logged. */
  log?: StatusLog;
}

/** How long a cluster worker waits for the primary's counters before counting one request itself. */
const PRIMARY_TIMEOUT_MS = 1000;

/**
 * Fixed-window counters behind one small interface: in memory for a single process, in the primary's
 * memory for the workers of one TASKGATE_WORKERS cluster (ratelimit/cluster-counts.ts), in Redis when
 * processes on several machines must share one limit. While Redis is down or does not answer within
 * `commandTimeoutMs`, each process counts in memory (see ratelimit/redis-fallback.ts).
 */
export class RateLimiter {
  private readonly budgets = new Map<string, RateBudget>();

  private constructor(
    private readonly link: RedisLink | null,
    private readonly primary: PrimaryLink | null = null,
  ) {}

  /** This process's memory alone. */
  static memory(): RateLimiter {
    return new RateLimiter(null);
  }

  /**
   * Memory on this machine: this process's, or, in a worker of TASKGATE_WORKERS, the primary's, so that
   * the workers share one budget per key (counted by the worker itself when the primary does not answer).
   */
  static onThisMachine(log: StatusLog = new StatusLog()): RateLimiter {
    return cluster.isWorker ? new RateLimiter(null, new PrimaryLink(PRIMARY_TIMEOUT_MS, log)) : RateLimiter.memory();
  }

  static redis(url: string, options: RedisOptions = { commandTimeoutMs: 50 }): RateLimiter {
    return new RateLimiter(new RedisLink(url, options.commandTimeoutMs, options.log ?? new StatusLog()));
  }

  /** Where the counters are kept right now (GET /readyz shows it). */
  get mode(): RateLimitMode {
    return this.link?.mode ?? 'memory';
  }

  /**
   * The budget for a namespace and window shape. Callers on a hot path keep the handle rather than
   * asking again per request. A changed limit is a different budget, so it starts a fresh window.
   */
  budget(namespace: string, window: RateWindow): RateBudget {
    const key = `${namespace}:${window.points}:${window.durationSeconds}`;
    let budget = this.budgets.get(key);
    if (!budget) {
      const shape = { ...window };
      const prefix = `tg:${key}`;
      const counts = this.link
        ? new RedisCounts(this.link, shape, prefix)
        : this.primary
          ? new ClusterCounts(this.primary, shape, prefix)
          : new MemoryCounts(shape, prefix);
      budget = new RateBudget(shape, counts);
      this.budgets.set(key, budget);
    }
    return budget;
  }

  async close(): Promise<void> {
    await this.link?.close();
    this.primary?.close();
  }
}
