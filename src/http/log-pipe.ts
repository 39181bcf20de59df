import fs from 'node:fs';

const RETRY_MS = 100;

/**
 * Where the server's log lines go: a file descriptor (standard output), written asynchronously and
 * never in a way that can hold the process. pino's default destination retries a full pipe in a
 * synchronous loop when the process exits, and a write that fails for any other reason (EPIPE: the
 * reader is gone) was retried the same way: the process then never ended, SIGTERM included. Here:
 * - a full pipe is retried from a timer, and lines beyond `maxQueuedBytes` are dropped meanwhile;
 * - any write error ends logging to that descriptor for good, said once on standard error;
 * - `flush(ms)` waits for what is queued at most that long (shutdown), and nothing is written at exit.
 */
export class LogPipe {
  private queue: string[] = [];
  private queuedBytes = 0;
  private pending: Buffer | null = null;
  private broken = false;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly fd: number,
    private readonly maxQueuedBytes = 4 * 1024 * 1024,
    private readonly onBroken: (err: NodeJS.ErrnoException) => void = noticeOnStderr,
  ) {}

  /** Called by pino with one serialized line. */
  write(line: string): void {
    if (this.broken || this.queuedBytes + line.length > this.maxQueuedBytes) return;
    this.queue.push(line);
    this.queuedBytes += line.length;
    if (this.pending === null) this.writeNext();
  }

  /** Stops logging here (the descriptor's reader is gone, or its stream said so). */
  break(err: NodeJS.ErrnoException): void {
    if (this.broken) return;
    this.broken = true;
    this.queue = [];
    this.queuedBytes = 0;
    this.pending = null;
    this.settle();
    this.onBroken(err);
  }

  /** Resolves once every queued line is written, logging has stopped, or `ms` have passed. */
  flush(ms: number): Promise<void> {
    if (this.pending === null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private writeNext(): void {
    if (this.broken) return;
    if (this.pending === null) {
      if (this.queue.length === 0) {
        this.settle();
        return;
      }
      this.pending = Buffer.from(this.queue.join(''));
      this.queue = [];
      this.queuedBytes = 0;
    }
    fs.write(this.fd, this.pending, (err, written) => {
      if (this.broken) return;
      if (err) {
        if (err.code !== 'EAGAIN') return this.break(err);
        // The pipe is full: try again later without holding the event loop (unref: not at exit).
        setTimeout(() => this.writeNext(), RETRY_MS).unref();
        return;
      }
      const rest = this.pending!.subarray(written);
      this.pending = rest.length > 0 ? rest : null;
      this.writeNext();
    });
  }

  private settle(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

function noticeOnStderr(err: NodeJS.ErrnoException): void {
  // Asynchronous and unchecked: standard error may be gone too, and nothing may wait on it.
  fs.write(2, `Taskgate: logging to standard output stopped (${err.code ?? err.message})\n`, () => undefined);
}
