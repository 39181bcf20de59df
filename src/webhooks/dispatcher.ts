import type { FastifyBaseLogger } from 'fastify';
import type { AppContext } from '../context.js';
import { isoIn, nowIso } from '../lib/time.js';
import { AttemptRecorder } from './attempt-recorder.js';
import { EndpointBackoff, pausesFor } from './endpoint-backoff.js';
import { claimDueDeliveries } from './claim.js';
import { forgetExpiredSecrets, pruneDeliveries, recordAttempts, releaseUntried } from './delivery-queue.js';
import { fanOutOnce } from './fan-out.js';
import { WebhookSender, type AttemptRequest } from './http-sender.js';
import { judgeAttempt } from './retry-policy.js';
import { secretBoxFor, type SecretBox } from './secret-box.js';
import { attemptRequest, UndecryptableSecretError, type Endpoint } from './outgoing.js';
import type { WebhookDeliveryRow } from './tables.js';

/** Sends at once per process; the lease is taken only for what can be sent right away. */
const MAX_IN_FLIGHT = 64;
/** Sends at once per process to one endpoint, so a slow or hanging one cannot hold up everyone else's. */
const MAX_IN_FLIGHT_PER_ENDPOINT = 16;
const MAX_PRUNE_INTERVAL_MS = 10 * 60_000;

/**
 * The delivery loop: fan events out into deliveries, claim due deliveries under a lease, send them, record
 * each attempt, and prune old history. Every step is a database transaction, so killing the process at
 * any point loses nothing: the next start (or another process) carries on from the stored state.
 */
export class WebhookDispatcher {
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly inFlightByEndpoint = new Map<string, number>();
  /** Endpoints that reached their in-flight limit, until half of it is free again (left out of claims). */
  private readonly fullEndpoints = new Set<string>();
  private woken = false;
  /** The last claim left due deliveries behind: a slot freeing up is worth a look. */
  private moreDue = false;
  private wakeIdle: (() => void) | null = null;
  private nextPruneAt = 0;
  private stopListening: (() => void) | null = null;
  private readonly box: SecretBox;
  private readonly recorder: AttemptRecorder;
  private readonly backoff: EndpointBackoff;

  constructor(
    private readonly ctx: AppContext,
    private readonly log: FastifyBaseLogger,
    private readonly sender = new WebhookSender(),
  ) {
    this.box = secretBoxFor(ctx.config);
    this.backoff = new EndpointBackoff(pausesFor(ctx.config.webhookRetryScheduleMs));
    this.recorder = new AttemptRecorder((records) => recordAttempts(ctx.db, records, ctx.config.webhookDisableAfterMs));
  }

  /** Long enough for a full attempt and its bookkeeping; a crashed sender's deliveries wait this long. */
  private get leaseMs(): number {
    return 2 * this.ctx.config.webhookTimeoutMs + 1000;
  }

  start(): void {
    this.running = true;
    this.stopListening = this.ctx.deliveriesDue.listen(() => this.wake());
    this.loop = this.run();
  }

  /** Stops claiming, lets in-flight attempts finish and record their outcome (each is bounded by the timeout). */
  async stop(): Promise<void> {
    this.running = false;
    this.stopListening?.();
    this.wake();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
    this.sender.close();
  }

  wake(): void {
    this.woken = true;
    this.wakeIdle?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let more = false;
      try {
        more = await this.step();
      } catch (err) {
        // An unreachable database is logged once, by the context, not once per poll.
        if (!this.ctx.databaseHealth.isUp) this.log.debug({ err }, 'webhook dispatch step failed: the database does not answer');
        else this.log.error({ err }, 'webhook dispatch step failed');
      }
      if (!more && this.running) await this.idle(this.ctx.config.webhookPollMs);
      // With a backlog, let the requests that arrived meanwhile in before the next step.
      else await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeIdle = null;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeIdle = done;
      if (this.woken) done();
    });
  }

  /** One pass; true when more work is waiting right now. */
  private async step(): Promise<boolean> {
    const { db, dialect, config } = this.ctx;
    this.woken = false;
    const fannedOut = await fanOutOnce(db, dialect);
    const free = MAX_IN_FLIGHT - this.inFlight.size;
    if (free > 0) {
      const claim = await claimDueDeliveries(db, dialect, {
        limit: free,
        leaseMs: this.leaseMs,
        roomFor: (webhookId) => this.backoff.allowed(webhookId, MAX_IN_FLIGHT_PER_ENDPOINT - (this.inFlightByEndpoint.get(webhookId) ?? 0)),
        fullEndpoints: [...this.fullEndpoints, ...this.backoff.held()],
      });
      this.moreDue = claim.moreDue || claim.deliveries.length === free;
      if (claim.deliveries.length > 0) await this.launch(claim.deliveries);
    }
    if (Date.now() >= this.nextPruneAt) {
      const pruned = await pruneDeliveries(db, config.webhookRetentionMs);
      if (pruned > 0) this.log.info({ pruned }, 'pruned old webhook deliveries');
      await forgetExpiredSecrets(db);
      this.nextPruneAt = Date.now() + Math.min(MAX_PRUNE_INTERVAL_MS, Math.max(config.webhookRetentionMs / 4, config.webhookPollMs));
    }
    return fannedOut.more;
  }

  private async launch(claimed: WebhookDeliveryRow[]): Promise<void> {
    const endpoints = await this.ctx.db
      .selectFrom('webhooks')
      .select(['id', 'url', 'secret_encrypted', 'previous_secret_encrypted', 'previous_secret_expires_at'])
      .where('id', 'in', [...new Set(claimed.map((d) => d.webhook_id))])
      .execute();
    const byId = new Map(endpoints.map((e) => [e.id, e]));
    for (const delivery of claimed) {
      const endpoint = byId.get(delivery.webhook_id);
      // Deleted since the claim: its deliveries went with it.
      if (!endpoint) continue;
      this.countInFlight(endpoint.id, 1);
      this.backoff.started(endpoint.id);
      const sending: Promise<void> = this.deliver(delivery, endpoint)
        .catch((err: unknown) =>
          this.log.error(
            { err, deliveryId: delivery.id },
            'webhook delivery bookkeeping failed; the lease will expire and it will be retried',
          ),
        )
        .finally(() => {
          this.inFlight.delete(sending);
          const wasFull = this.fullEndpoints.has(endpoint.id);
          this.countInFlight(endpoint.id, -1);
          const endpointHasRoom = wasFull && !this.fullEndpoints.has(endpoint.id);
          // With a backlog, claim again once half the slots are free, or half of a full endpoint's: fewer, larger claims.
          if (endpointHasRoom || (this.moreDue && this.inFlight.size <= MAX_IN_FLIGHT / 2)) this.wake();
        });
      this.inFlight.add(sending);
    }
  }

  /** Adjusts an endpoint's in-flight count, and whether it is full. */
  private countInFlight(webhookId: string, change: 1 | -1): void {
    const count = (this.inFlightByEndpoint.get(webhookId) ?? 0) + change;
    if (count > 0) this.inFlightByEndpoint.set(webhookId, count);
    else this.inFlightByEndpoint.delete(webhookId);
    if (count >= MAX_IN_FLIGHT_PER_ENDPOINT) this.fullEndpoints.add(webhookId);
    else if (count <= MAX_IN_FLIGHT_PER_ENDPOINT / 2) this.fullEndpoints.delete(webhookId);
  }

  private async deliver(delivery: WebhookDeliveryRow, endpoint: Endpoint): Promise<void> {
    const { config } = this.ctx;
    const attemptedAt = nowIso();
    let request: AttemptRequest;
    try {
      request = attemptRequest(this.box, config, delivery, endpoint, attemptedAt);
    } catch (err) {
      // Not sendable from this process now: held back like a failing endpoint, so a probe is never left open.
      this.backoff.failed(endpoint.id);
      if (!(err instanceof UndecryptableSecretError)) throw err;
      // Our fault, not the endpoint's: no attempt is recorded and the endpoint's health is untouched.
      this.log.error({ deliveryId: delivery.id, webhookId: endpoint.id }, `${err.message}; the delivery is released untried`);
      await releaseUntried(this.ctx.db, delivery, isoIn(this.leaseMs));
      return;
    }
    const outcome = await this.sender.send(request);
    const verdict = judgeAttempt(outcome, delivery.schedule_step, config.webhookRetryScheduleMs);
    if (verdict.status === 'succeeded') this.backoff.succeeded(endpoint.id);
    else this.backoff.failed(endpoint.id);
    await this.recorder.record({ delivery, outcome: { ...outcome, attemptedAt }, verdict });
    if (verdict.status !== 'succeeded') {
      this.log.debug(
        { deliveryId: delivery.id, status: outcome.status, error: outcome.error, next: verdict.nextAttemptAt },
        'webhook attempt failed',
      );
    }
  }
}
