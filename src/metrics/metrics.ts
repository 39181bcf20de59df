import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import client from 'prom-client';
import type { AppContext } from '../context.js';
import { AppError, sharedRefusal } from '../errors/app-error.js';
import { sendError } from '../errors/handler.js';
import { webhookBacklog } from './webhook-gauges.js';

const METRICS_TOKEN_REQUIRED = sharedRefusal(new AppError('UNAUTHENTICATED', 'Send the metrics token as "Authorization: Bearer <token>"'));

/** Which credential a request presented, read off the request itself (a refused one has no principal). */
function credentialKind(request: FastifyRequest): string {
  if (request.principal) return request.principal.kind;
  const authorization = request.headers.authorization;
  // "Bearer tgX_…": the kind letter X is the tenth character.
  if (authorization?.startsWith('Bearer tg') && authorization[10] === '_') {
    return { p: 'personal_token', w: 'workspace_token', a: 'agent', s: 'session' }[authorization[9]!] ?? 'unknown';
  }
  return request.headers.cookie?.includes('tg_session=') ? 'session' : 'none';
}

// An error answer's code, read back from its envelope: `"code":"…"` comes right after `"error"`.
function errorCode(payload: unknown): string {
  if (typeof payload !== 'string') return 'unknown';
  const start = payload.indexOf('"code":"');
  if (start < 0) return 'unknown';
  const end = payload.indexOf('"', start + 8);
  return end < 0 ? 'unknown' : payload.slice(start + 8, end);
}

function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}

/**
 * The Prometheus registry of one app: request durations by route pattern, authentications by credential
 * kind and outcome, rate-limit refusals, the webhook backlog, batched last-use writes, the PostgreSQL
 * pool and the process. Per app rather than prom-client's global registry, so that several apps in one
 * process (tests) do not share counters.
 */
function createMetrics(ctx: AppContext) {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'taskgate_' });

  const requestDuration = new client.Histogram({
    name: 'taskgate_http_request_duration_seconds',
    help: 'Time to answer a request, by route pattern and status class',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const authentications = new client.Counter({
    name: 'taskgate_authentications_total',
    help: 'Requests that presented a credential, by its kind and the outcome (ok, or the refusal code)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  const rateLimited = new client.Counter({
    name: 'taskgate_rate_limit_refusals_total',
    help: 'Requests refused with 429, by credential kind',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  new client.Gauge({
    name: 'taskgate_webhook_outbox_depth',
    help: 'Events not yet fanned out to deliveries plus deliveries still pending',
    registers: [registry],
    async collect() {
      this.set((await webhookBacklog(ctx.db)).outboxDepth);
    },
  });
  new client.Gauge({
    name: 'taskgate_webhook_delivery_lag_seconds',
    help: 'How long the most overdue pending delivery has waited past its attempt time',
    registers: [registry],
    async collect() {
      this.set((await webhookBacklog(ctx.db)).deliveryLagSeconds);
    },
  });
  new client.Gauge({
    name: 'taskgate_last_used_flush_lag_seconds',
    help: 'Seconds since buffered last-use times were last written in full',
    registers: [registry],
    collect() {
      this.set((Date.now() - ctx.usage.stats.lastFlushAt) / 1000);
    },
  });
  new client.Gauge({
    name: 'taskgate_last_used_flush_failures',
    help: 'Batches of last-use times that failed to write since the process started',
    registers: [registry],
    collect() {
      this.set(ctx.usage.stats.failures);
    },
  });
  new client.Gauge({
    name: 'taskgate_last_used_pending',
    help: 'Credential uses buffered in memory, waiting for the next flush',
    registers: [registry],
    collect() {
      this.set(ctx.usage.pendingCount());
    },
  });

  return {
    registry,
    observe(request: FastifyRequest, reply: FastifyReply, payload: unknown): void {
      const status = reply.statusCode;
      requestDuration.observe(
        { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_class: statusClass(status) },
        reply.elapsedTime / 1000,
      );
      const kind = credentialKind(request);
      if (kind !== 'none') authentications.inc({ kind, outcome: status === 401 || status === 429 ? errorCode(payload) : 'ok' });
      if (status === 429) rateLimited.inc({ kind });
    },
  };
}

/** Compares the scrape's bearer token with the configured one in constant time (both hashed to one length). */
function bearerMatches(header: string | undefined, expected: string): boolean {
  const given = header?.startsWith('Bearer ') ? header.slice(7) : '';
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected)) && given.length > 0;
}

/**
 * `GET /metrics` in Prometheus' text format, only when `TASKGATE_METRICS_TOKEN` is set (then that bearer
 * token is required). Off, it adds nothing to any request; on, one hook per answer.
 */
export function registerMetrics(app: FastifyInstance, ctx: AppContext): void {
  const token = ctx.config.metricsToken;
  if (!token) return;
  const metrics = createMetrics(ctx);
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.routeOptions.url !== '/metrics') metrics.observe(request, reply, payload);
    return payload;
  });
  // Hijacked answers (event streams, MCP) skip onSend: src/http/hijacked-answer.ts calls this as they end.
  app.decorate('observeHijackedAnswer', (request: FastifyRequest, reply: FastifyReply) => metrics.observe(request, reply, undefined));
  app.get('/metrics', { config: { auth: 'public', rateLimit: false }, schema: { hide: true } }, async (request, reply) => {
    if (!bearerMatches(request.headers.authorization, token)) {
      reply.header('www-authenticate', 'Bearer realm="metrics"');
      return sendError(reply, METRICS_TOKEN_REQUIRED);
    }
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
