import cluster, { type Worker } from 'node:cluster';
import { serveClusterCounts } from '../ratelimit/cluster-counts.js';

export interface PrimaryOptions {
  workers: number;
  /** How long workers get to finish in-flight requests after SIGTERM before they are killed. */
  shutdownGraceMs: number;
}

/** A worker that dies sooner than this after starting counts as a crash loop: its restarts back off. */
const STABLE_AFTER_MS = 10_000;
const MAX_RESTART_DELAY_MS = 30_000;

// A reader of standard output that goes away (EPIPE) ends the primary's logging, never the primary.
let logOpen = true;
process.stdout.on('error', () => {
  logOpen = false;
});

function log(level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  if (!logOpen) return;
  // One JSON line, as the workers' pino lines are, so one log pipeline reads both.
  const levels = { info: 30, warn: 40, error: 50 };
  process.stdout.write(
    `${JSON.stringify({ level: levels[level], time: Date.now(), pid: process.pid, role: 'primary', ...fields, msg })}\n`,
  );
}

/** Resolves once the worker listens; rejects with its exit code if it dies first (a bad config, a taken port). */
function listening(worker: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`worker exited with code ${code ?? 'null'} before listening`));
    worker.once('exit', onExit);
    worker.once('listening', () => {
      worker.off('exit', onExit);
      resolve();
    });
  });
}

/**
 * Runs `workers` server processes on one port (Node's cluster: the primary accepts, workers answer)
 * and keeps that many alive. The first worker starts alone, so migrations and the first-admin set-up
 * run once before the others open the database. SIGTERM/SIGINT reach every worker, which finish their
 * requests; stragglers are killed after the grace period. Without Redis the workers' rate limits are
 * counted here, so they share one budget per key (ratelimit/cluster-counts.ts).
 */
export async function runPrimary(options: PrimaryOptions): Promise<void> {
  serveClusterCounts();
  let stopping = false;
  const startedAt = new Map<Worker, number>();
  let restartDelayMs = 1000;

  const fork = (): Worker => {
    const worker = cluster.fork();
    startedAt.set(worker, Date.now());
    return worker;
  };

  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker) ?? Date.now());
    startedAt.delete(worker);
    if (stopping) return;
    log('warn', 'worker died; starting another', { worker: worker.process.pid, code, signal, livedMs: lived });
    restartDelayMs = lived > STABLE_AFTER_MS ? 1000 : Math.min(restartDelayMs * 2, MAX_RESTART_DELAY_MS);
    setTimeout(
      () => {
        if (!stopping) fork();
      },
      lived > STABLE_AFTER_MS ? 0 : restartDelayMs,
    ).unref();
  });

  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log('info', 'shutting down: workers finish their requests', { signal });
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    for (const worker of workers) worker.process.kill('SIGTERM');
    const killer = setTimeout(() => {
      for (const worker of workers) if (!worker.isDead()) worker.process.kill('SIGKILL');
    }, options.shutdownGraceMs);
    killer.unref();
    let remaining = workers.length;
    if (remaining === 0) process.exit(0);
    for (const worker of workers) {
      worker.once('exit', () => {
        if (--remaining === 0) process.exit(0);
      });
    }
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);

  try {
    await listening(fork());
  } catch (err) {
    log('error', `Cannot start Taskgate: ${(err as Error).message}`);
    process.exit(1);
  }
  await Promise.all(Array.from({ length: options.workers - 1 }, () => listening(fork()).catch(() => undefined)));
  log('info', `Taskgate running ${options.workers} worker processes`, { workers: options.workers });
}
