import { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { StatusLog } from '../system/status-log.js';
import { decision, fresh, type BudgetCounts, type RateDecision, type RateWindow } from './decision.js';

/** How often a process counting in memory asks whether Redis answers again. */
const PROBE_EVERY_MS = 1000;
/** How often counts of finished windows are forgotten. */
const SWEEP_EVERY_MS = 60_000;

class RedisTimeout extends Error {}

/**
 * Rejects when `promise` has not settled `ms` after the call. The verdict waits for the end of the
 * event-loop turn in which the timer fires (setImmediate runs after that turn's I/O): when this process,
 * not Redis, was slow (a long synchronous task held the loop), an answer that arrived meanwhile is read
 * first and counts, instead of passing for a Redis that does not answer.
 */
export function withinMs<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(
      () =>
        setImmediate(() => {
          if (settled) return;
          settled = true;
          reject(new RedisTimeout(`Redis did not answer within ${ms} ms`));
        }),
      ms,
    );
    promise.then(
      (value) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

/**
 * The connection to Redis, and whether rate limits are counted there or, while it does not answer,
 * in this process's memory. Every call is bounded (no offline queue, no retries, `withinMs`), so a
 * Redis that is down or frozen costs a request at most that timeout, once: the first failure switches
 * every budget to memory at once, and a probe switches back when Redis answers a PING again.
 */
export class RedisLink {
  mode: 'redis' | 'memory-fallback' = 'redis';
  readonly redis: Redis;
  private readonly budgets = new Set<RedisCounts>();
  private probeTimer: NodeJS.Timeout | null = null;
  private readonly sweepTimer: NodeJS.Timeout;
  private closed = false;

  constructor(
    url: string,
    readonly commandTimeoutMs: number,
    private readonly log: StatusLog,
  ) {
    this.redis = new Redis(url, {
      enableOfflineQueue: false,
      // Calls are bounded by withinMs; this only keeps a frozen Redis's unanswered commands from piling up.
      commandTimeout: Math.max(1000, 10 * commandTimeoutMs),
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      connectTimeout: 1000,
      retryStrategy: (times) => Math.min(100 * times, PROBE_EVERY_MS),
    });
    // Connection failures arrive as `error` events; the first failed command is what switches to memory.
    this.redis.on('error', () => undefined);
    this.sweepTimer = setInterval(() => this.sweep(), SWEEP_EVERY_MS);
    this.sweepTimer.unref();
  }

  register(counts: RedisCounts): void {
    this.budgets.add(counts);
  }

  /** A call failed or timed out: count in memory from now on, until a probe finds Redis answering. */
  failed(err: unknown): void {
    if (this.mode !== 'redis' || this.closed) return;
    this.mode = 'memory-fallback';
    this.log.write(
      'warn',
      { err, rateLimits: this.mode },
      'Redis does not answer: rate limits are counted per process, in memory, until it is back',
    );
    this.scheduleProbe();
  }

  private scheduleProbe(): void {
    if (this.closed) return;
    this.probeTimer = setTimeout(() => void this.probe(), PROBE_EVERY_MS);
    this.probeTimer.unref();
  }

  private async probe(): Promise<void> {
    try {
      if (this.redis.status !== 'ready') throw new Error(`the Redis connection is ${this.redis.status}`);
      await withinMs(this.redis.ping(), this.commandTimeoutMs);
      // What memory admitted meanwhile is added to Redis before Redis decides again, so the return
      // grants no second budget. No await between the last check and the switch: nothing slips through.
      while ([...this.budgets].some((counts) => counts.owesRedis())) {
        for (const counts of this.budgets) await counts.handBack();
      }
      this.mode = 'redis';
      this.log.write('info', { rateLimits: this.mode }, 'Redis answers again: rate limits are shared through Redis');
    } catch {
      this.scheduleProbe();
    }
  }

  private sweep(): void {
    const now = Date.now();
    for (const counts of this.budgets) counts.forgetBefore(now);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    clearInterval(this.sweepTimer);
    // A frozen Redis would never acknowledge QUIT.
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** This process's view of one key's window: what was spent, and how much of it Redis has not counted. */
interface LocalCount {
  consumed: number;
  owed: number;
  endsAt: number;
}

/**
 * One budget's counters in Redis, with a local copy of each key's window: Redis's last answer while it
 * answers, and this process's own counting while it does not. Counting in memory starts from what Redis
 * last said, not from zero, and is carried into Redis on its return, so a key gets one budget per
 * window across the switch both ways (per process: other processes' spending during the outage is not
 * seen until Redis is back).
 */
export class RedisCounts implements BudgetCounts {
  private readonly limiter: RateLimiterRedis;
  private readonly local = new Map<string, LocalCount>();
  private readonly durationMs: number;

  constructor(
    private readonly link: RedisLink,
    private readonly window: RateWindow,
    keyPrefix: string,
  ) {
    this.durationMs = window.durationSeconds * 1000;
    this.limiter = new RateLimiterRedis({
      storeClient: link.redis,
      points: window.points,
      duration: window.durationSeconds,
      keyPrefix,
      rejectIfRedisNotReady: true,
    });
    link.register(this);
  }

  consume(key: string): Promise<RateDecision> {
    if (this.link.mode !== 'redis') return Promise.resolve(this.consumeLocally(key));
    return withinMs(this.limiter.consume(key, 1), this.link.commandTimeoutMs).then(
      (res) => this.answered(key, true, res),
      (rejection: unknown) => {
        // The library rejects with the counter's state when the budget is spent, and with an Error when Redis fails.
        if (rejection instanceof RateLimiterRes) return this.answered(key, false, rejection);
        this.link.failed(rejection);
        return this.consumeLocally(key);
      },
    );
  }

  private answered(key: string, allowed: boolean, res: RateLimiterRes): RateDecision {
    const endsAt = Date.now() + res.msBeforeNext;
    const count = this.local.get(key);
    // Updated in place: no allocation per request for a key already seen.
    if (count) {
      count.consumed = res.consumedPoints;
      count.endsAt = endsAt;
    } else {
      this.local.set(key, { consumed: res.consumedPoints, owed: 0, endsAt });
    }
    return decision(allowed, this.window, res.remainingPoints, res.msBeforeNext);
  }

  private consumeLocally(key: string): RateDecision {
    const now = Date.now();
    let count = this.local.get(key);
    if (!count || count.endsAt <= now) this.local.set(key, (count = { consumed: 0, owed: 0, endsAt: now + this.durationMs }));
    count.consumed++;
    count.owed++;
    return decision(count.consumed <= this.window.points, this.window, this.window.points - count.consumed, count.endsAt - now);
  }

  async peek(key: string): Promise<RateDecision> {
    if (this.link.mode === 'redis') {
      try {
        const res = await withinMs(this.limiter.get(key), this.link.commandTimeoutMs);
        return res
          ? decision(res.consumedPoints < this.window.points, this.window, res.remainingPoints, res.msBeforeNext)
          : fresh(this.window);
      } catch (err) {
        this.link.failed(err);
      }
    }
    const count = this.local.get(key);
    const now = Date.now();
    if (!count || count.endsAt <= now) return fresh(this.window);
    return decision(count.consumed < this.window.points, this.window, this.window.points - count.consumed, count.endsAt - now);
  }

  async reset(key: string): Promise<void> {
    this.local.delete(key);
    if (this.link.mode !== 'redis') return;
    await withinMs(this.limiter.delete(key), this.link.commandTimeoutMs).catch((err: unknown) => this.link.failed(err));
  }

  /** True while memory admitted requests, in a window still running, that Redis has not counted. */
  owesRedis(): boolean {
    const now = Date.now();
    for (const count of this.local.values()) if (count.owed > 0 && count.endsAt > now) return true;
    return false;
  }

  /**
   * Adds what memory counted to Redis's counters, and raises any below what this process saw spent;
   * throws (and keeps the debt) if Redis fails.
   */
  async handBack(): Promise<void> {
    const now = Date.now();
    for (const [key, count] of this.local) {
      if (count.owed === 0) continue;
      if (count.endsAt <= now) {
        count.owed = 0;
        continue;
      }
      const owed = count.owed;
      const res = await withinMs(this.limiter.penalty(key, owed), this.link.commandTimeoutMs);
      // A Redis that restarted empty forgot what it had counted before: what this process knows was
      // spent in the window is a floor.
      const forgotten = count.consumed - res.consumedPoints;
      if (forgotten > 0) await withinMs(this.limiter.penalty(key, forgotten), this.link.commandTimeoutMs);
      count.owed -= owed;
    }
  }

  forgetBefore(now: number): void {
    for (const [key, count] of this.local) if (count.endsAt <= now) this.local.delete(key);
  }
}
