import { buildApp } from './app.js';
import type { Config } from './config/config.js';
import { createContext } from './context.js';
import { LogPipe } from './http/log-pipe.js';
import { bootstrapFirstAdmin } from './users/bootstrap.js';

// The log goes to standard output without ever holding the process (src/http/log-pipe.ts). A reader
// that goes away ends logging there (EPIPE), whoever wrote; standard error has no one left to tell.
const logPipe = new LogPipe(1);
process.stdout.on('error', (err) => logPipe.break(err));
process.stderr.on('error', () => undefined);

/** An unreachable database, a failed migration or a wrong encryption key: one clear line, not a stack trace. */
function cannotStart(err: unknown): never {
  console.error(`Cannot start Taskgate: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}

/** Why listening failed, in one line that names the address. */
function listenFailure(err: unknown, config: Config): string {
  const code = (err as NodeJS.ErrnoException).code;
  const where = `port ${config.port} on ${config.host}`;
  if (code === 'EADDRINUSE') return `${where} is already in use (another Taskgate, or another program, listens there; set PORT)`;
  if (code === 'EACCES') return `no permission to listen on ${where} (ports below 1024 need privileges; set PORT)`;
  if (code === 'EADDRNOTAVAIL') return `${config.host} is not an address of this machine (set HOST)`;
  return `cannot listen on ${where}: ${err instanceof Error ? err.message : String(err)}`;
}

/** `work`'s outcome, or nothing once `ms` have passed: shutdown never waits on one step for ever. */
function within(work: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** What closing the database and flushing last-used times may take once the requests are over. */
const CLOSE_BUDGET_MS = 5000;

/** One server process: the whole server when TASKGATE_WORKERS is 1, else one of the cluster's workers. */
export async function runWorker(config: Config): Promise<void> {
  const ctx = await createContext(config).catch(cannotStart);
  const app = await buildApp(ctx, { logStream: logPipe }).catch(async (err: unknown) => {
    await ctx.close().catch(() => undefined);
    return cannotStart(err);
  });
  const notice = await bootstrapFirstAdmin(ctx);
  if (notice) app.log.info(notice);

  /**
   * SIGTERM/SIGINT: stop accepting, let in-flight requests finish for TASKGATE_SHUTDOWN_GRACE, then cut
   * the connections still open, write the buffered last-used times, close the database and exit 0: the
   * server ended as it was asked to, requests cut at the deadline included (the log says how it ended).
   * Exit 1 only when closing itself failed.
   */
  let stopping = false;
  async function shutdown(signal: string): Promise<void> {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    let exitCode = 0;
    // app.close() stops accepting, closes idle keep-alive sockets, waits for in-flight requests (they
    // answer with `Connection: close`), then runs the onClose hooks (flushes usage).
    const closed = app.close().then(
      () => 'closed' as const,
      (err: unknown) => {
        app.log.error({ err }, 'closing the HTTP server failed');
        exitCode = 1;
        return 'closed' as const;
      },
    );
    let graceTimer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'late'>((resolve) => (graceTimer = setTimeout(() => resolve('late'), config.shutdownGraceMs)));
    if ((await Promise.race([closed, graceOver])) === 'late') {
      app.log.warn({ graceMs: config.shutdownGraceMs }, 'shutdown grace period over: closing the connections of requests still open');
      app.server.closeAllConnections();
      await within(closed, 1000);
    }
    clearTimeout(graceTimer);
    // Last-used times first, on their own: closing the rest (background jobs) must not cost them.
    await within(
      ctx.usage.flush().catch((err: unknown) => app.log.error({ err }, 'writing last-used times failed')),
      CLOSE_BUDGET_MS,
    );
    await within(
      ctx.close().catch((err: unknown) => {
        app.log.error({ err }, 'closing the database failed');
        exitCode = 1;
      }),
      CLOSE_BUDGET_MS,
    );
    app.log.info({ exitCode }, 'stopped');
    await logPipe.flush(500);
    process.exit(exitCode);
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await within(app.close(), 2000).catch(() => undefined);
    await within(ctx.close(), 2000).catch(() => undefined);
    cannotStart(new Error(listenFailure(err, config)));
  }
  app.log.info(`Taskgate listening on http://localhost:${config.port} (${ctx.dialect}); API docs at /docs`);
}
