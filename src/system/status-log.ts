import type { FastifyBaseLogger } from 'fastify';

type Level = 'info' | 'warn';

/**
 * Where a dependency's change of state (the database going away, rate limits falling back to memory)
 * is logged, once each way. The context is built before the app's logger exists: until the app hands
 * its logger over, lines go to stderr as JSON.
 */
export class StatusLog {
  private log: Pick<FastifyBaseLogger, Level> | null = null;

  use(log: Pick<FastifyBaseLogger, Level>): void {
    this.log = log;
  }

  write(level: Level, fields: Record<string, unknown>, message: string): void {
    if (this.log) {
      this.log[level](fields, message);
      return;
    }
    const { err, ...rest } = fields;
    const error = err instanceof Error ? err.message : err;
    console.error(JSON.stringify({ level, time: Date.now(), ...rest, ...(error === undefined ? {} : { err: error }), msg: message }));
  }
}
