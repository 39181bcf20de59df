import type { FastifyBaseLogger } from 'fastify';
import type { AppContext } from './context.js';
import { startTokenWarnings } from './credentials/token-warnings.js';
import { startTokenUsageFlush } from './token-usage/flush.js';
import { WebhookDispatcher } from './webhooks/dispatcher.js';

/** A background job started with the app; `stop` must let in-flight work finish or leave it resumable. */
interface BackgroundJob {
  name: string;
  start(ctx: AppContext, log: FastifyBaseLogger): { stop(): Promise<void> };
}

/** Every background job; a domain that needs one (webhook delivery, pruning) adds it here. */
const BACKGROUND_JOBS: BackgroundJob[] = [
  {
    name: 'webhooks',
    start(ctx, log) {
      const dispatcher = new WebhookDispatcher(ctx, log);
      dispatcher.start();
      return dispatcher;
    },
  },
  {
    name: 'token-warnings',
    start: (ctx, log) => startTokenWarnings(ctx, (err) => log.error({ err }, 'token warning pass failed')),
  },
  {
    name: 'token-usage',
    start: (ctx, log) => startTokenUsageFlush(ctx, (err) => log.error({ err }, 'token usage flush failed')),
  },
];

export function startBackgroundJobs(ctx: AppContext, log: FastifyBaseLogger): void {
  for (const job of BACKGROUND_JOBS) {
    const running = job.start(ctx, log.child({ job: job.name }));
    ctx.onClose.push(() => running.stop());
  }
  ctx.usage.start(ctx.config.lastUsedFlushMs, (err) => log.error({ err }, 'last-used flush failed'));
}
