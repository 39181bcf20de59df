import type { Db } from '../db/database.js';
import { nowIso } from '../lib/time.js';

export interface Usage {
  at: string;
  ip: string | null;
}

/** Writes one kind of credential's buffered last-use times in a single batch. */
export type UsageFlusher = (db: Db, usage: ReadonlyMap<string, Usage>) => Promise<void>;

/**
 * Buffers "last used" times in memory and writes them in batches, so that authenticating a request
 * never writes to the database. Each credential kind registers how its batch is written.
 */
export class UsageTracker {
  private pending = new Map<string, Map<string, Usage>>();
  private readonly flushers = new Map<string, UsageFlusher>();
  private timer: NodeJS.Timeout | null = null;
  /** For operators (`/metrics`): failed batch writes so far, and when a flush last wrote everything. */
  readonly stats = { failures: 0, lastFlushAt: Date.now() };

  constructor(private readonly db: Db) {}

  register(kind: string, flusher: UsageFlusher): void {
    this.flushers.set(kind, flusher);
  }

  /** Records a use at `at` (now, unless the caller already read the clock). */
  touch(kind: string, id: string, ip: string | null, at: string = nowIso()): void {
    let byId = this.pending.get(kind);
    if (!byId) this.pending.set(kind, (byId = new Map()));
    const use = byId.get(id);
    // Updated in place, no allocation per request: a batch being flushed is no longer `pending`, so
    // this never changes what is being written.
    if (use) {
      use.at = at;
      use.ip = ip;
    } else {
      byId.set(id, { at, ip });
    }
  }

  /** Uses waiting to be written, over every kind. */
  pendingCount(): number {
    let count = 0;
    for (const byId of this.pending.values()) count += byId.size;
    return count;
  }

  /** The newest buffered use of a credential, so reads can show it before it is flushed. */
  peek(kind: string, id: string): Usage | undefined {
    return this.pending.get(kind)?.get(id);
  }

  /**
   * Writes every kind's buffered uses. A kind whose write fails goes back to the buffer and the other
   * kinds are still written; the first failure is thrown after all were tried.
   */
  async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    let failure: unknown = null;
    for (const [kind, usage] of batch) {
      const flusher = this.flushers.get(kind);
      if (!flusher || usage.size === 0) continue;
      try {
        await flusher(this.db, usage);
      } catch (err) {
        this.requeue(kind, usage);
        this.stats.failures += 1;
        failure ??= err;
      }
    }
    if (failure !== null) throw failure;
    this.stats.lastFlushAt = Date.now();
  }

  /** A batch that failed to write goes back, unless a newer use of the same credential came since. */
  private requeue(kind: string, usage: ReadonlyMap<string, Usage>): void {
    let byId = this.pending.get(kind);
    if (!byId) this.pending.set(kind, (byId = new Map()));
    for (const [id, use] of usage) if (!byId.has(id)) byId.set(id, use);
  }

  start(intervalMs: number, onError: (err: unknown) => void): void {
    this.timer = setInterval(() => this.flush().catch(onError), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }
}
