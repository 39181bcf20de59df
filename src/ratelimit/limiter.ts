import { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';

export interface RateWindow {
  points: number;
  durationSeconds: number;
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

/**
 * Fixed-window counters behind one small interface: in memory for a single process, in Redis when
 * several processes must share one limit. Built by rate-limiter-flexible either way.
 */
export class RateLimiter {
  private readonly limiters = new Map<string, RateLimiterAbstract>();

  private constructor(private readonly redis: Redis | null) {}

  static memory(): RateLimiter {
    return new RateLimiter(null);
  }

  static redis(url: string): RateLimiter {
    return new RateLimiter(new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true }));
  }

  private limiter(namespace: string, window: RateWindow): RateLimiterAbstract {
    // One limiter per namespace and window shape; a changed limit starts a fresh window.
    const key = `${namespace}:${window.points}:${window.durationSeconds}`;
    let limiter = this.limiters.get(key);
    if (!limiter) {
      const options = { points: window.points, duration: window.durationSeconds, keyPrefix: `tg:${key}` };
      // If Redis is unreachable, each process falls back to its own in-memory count rather than failing requests.
      limiter = this.redis
        ? new RateLimiterRedis({ ...options, storeClient: this.redis, insuranceLimiter: new RateLimiterMemory(options) })
        : new RateLimiterMemory(options);
      this.limiters.set(key, limiter);
    }
    return limiter;
  }

  /** Spends one point of `key`'s budget and says whether it was there to spend. */
  async consume(namespace: string, key: string, window: RateWindow): Promise<RateDecision> {
    try {
      const res = await this.limiter(namespace, window).consume(key, 1);
      return decision(true, window, res);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return decision(false, window, rejection);
      throw rejection;
    }
  }

  /** How much of `key`'s budget is spent, without spending any. */
  async peek(namespace: string, key: string, window: RateWindow): Promise<RateDecision> {
    const res = await this.limiter(namespace, window).get(key);
    if (!res) return { allowed: true, limit: window.points, remaining: window.points, resetSeconds: window.durationSeconds };
    return decision(res.consumedPoints < window.points, window, res);
  }

  async reset(namespace: string, key: string, window: RateWindow): Promise<void> {
    await this.limiter(namespace, window).delete(key);
  }

  async close(): Promise<void> {
    if (this.redis) await this.redis.quit();
  }
}

function decision(allowed: boolean, window: RateWindow, res: RateLimiterRes): RateDecision {
  return {
    allowed,
    limit: window.points,
    remaining: Math.max(0, res.remainingPoints),
    resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
  };
}
