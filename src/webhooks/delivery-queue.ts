import { sql, type Transaction } from 'kysely';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { newId } from '../lib/ids.js';
import { nowIso } from '../lib/time.js';
import type { AttemptOutcome } from './http-sender.js';
import type { Verdict } from './retry-policy.js';
import type { WebhookDeliveryRow } from './tables.js';
import { recordWebhookDisabled } from './webhook-view.js';

/** A delivery due now, before any attempt. */
export function pendingDelivery(
  message: { webhookId: string; workspaceId: string; messageId: string; eventType: string; payload: string },
  now: string,
): WebhookDeliveryRow {
  return {
    id: newId('delivery'),
    webhook_id: message.webhookId,
    workspace_id: message.workspaceId,
    message_id: message.messageId,
    event_type: message.eventType,
    payload: message.payload,
    status: 'pending',
    attempts: 0,
    schedule_step: 0,
    next_attempt_at: now,
    lease_until: null,
    lease_token: null,
    last_attempt_at: null,
    last_response_status: null,
    created_at: now,
    updated_at: now,
  };
}

const NUL = new RegExp(String.fromCharCode(0), 'g');

/** Response text as PostgreSQL and SQLite both store it (no NUL characters). */
function storableText(text: string | null): string | null {
  return text === null ? null : text.replace(NUL, '');
}

type Writer = Transaction<Database>;

const UNITS: ReadonlyArray<[string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
];

function readableDuration(ms: number): string {
  const unit = UNITS.find(([, size]) => ms >= size && ms % size === 0);
  return unit ? `${ms / unit[1]}${unit[0]}` : `${ms}ms`;
}

/**
 * A disabled endpoint's pending deliveries wait without a due time, so however many pile up they never
 * slow down the search for due ones; enabling the endpoint makes them due at once.
 */
export async function pauseDeliveries(trx: Writer, webhookId: string): Promise<void> {
  await trx
    .updateTable('webhook_deliveries')
    .set({ next_attempt_at: null })
    .where('webhook_id', '=', webhookId)
    .where('status', '=', 'pending')
    .execute();
}

export async function resumeDeliveries(trx: Writer, webhookId: string, now: string): Promise<void> {
  await trx
    .updateTable('webhook_deliveries')
    .set({ next_attempt_at: now })
    .where('webhook_id', '=', webhookId)
    .where('status', '=', 'pending')
    .where('next_attempt_at', 'is', null)
    .execute();
}

/** Disables an endpoint for its failures, once (another process may have got there first). */
async function disableEndpoint(trx: Writer, webhookId: string, reason: string, now: string): Promise<void> {
  const disabled = await trx
    .updateTable('webhooks')
    .set({ enabled: 0, disabled_at: now, disabled_reason: reason, updated_at: now })
    .where('id', '=', webhookId)
    .where('enabled', '=', 1)
    .returningAll()
    .executeTakeFirst();
  if (!disabled) return;
  await pauseDeliveries(trx, webhookId);
  // No one acted: the event names the endpoint's creator, on whose behalf it was sending.
  await recordWebhookDisabled(trx, disabled, { type: disabled.created_by_type, id: disabled.created_by_id });
}

/**
 * A success ends the endpoint's failing streak; a failure starts one, or disables it once too long. The
 * success reads the streak in the database, not as it was when the attempt started: another attempt may
 * have failed meanwhile.
 */
async function updateEndpointHealth(trx: Writer, webhookId: string, verdict: Verdict, disableAfterMs: number, now: string): Promise<void> {
  if (verdict.status === 'succeeded') {
    await trx
      .updateTable('webhooks')
      .set({ failing_since: null })
      .where('id', '=', webhookId)
      .where('failing_since', 'is not', null)
      .execute();
    return;
  }
  if (verdict.disableReason !== null) return disableEndpoint(trx, webhookId, verdict.disableReason, now);
  const row = await trx.selectFrom('webhooks').select('failing_since').where('id', '=', webhookId).executeTakeFirst();
  const since = row?.failing_since ?? null;
  if (since === null) {
    await trx.updateTable('webhooks').set({ failing_since: now }).where('id', '=', webhookId).execute();
  } else if (Date.parse(now) - Date.parse(since) >= disableAfterMs) {
    await disableEndpoint(
      trx,
      webhookId,
      `Disabled automatically: every delivery has failed since ${since} (longer than ${readableDuration(disableAfterMs)})`,
      now,
    );
  }
}

/** One finished attempt, ready to be written. */
export interface AttemptRecord {
  delivery: WebhookDeliveryRow;
  outcome: AttemptOutcome & { attemptedAt: string };
  verdict: Verdict;
}

/**
 * Writes every record's verdict onto its delivery in one statement (UPDATE … FROM VALUES reads the same on
 * both dialects), and only where the sender still holds the lease.
 */
async function applyVerdicts(trx: Writer, records: readonly AttemptRecord[], now: string): Promise<void> {
  const rows = records.map(
    ({ delivery, outcome, verdict }) =>
      sql`(${delivery.id}, ${delivery.lease_token}, ${verdict.status}, ${verdict.scheduleStep}, ${verdict.nextAttemptAt},
        ${outcome.attemptedAt}, ${outcome.status})`,
  );
  await sql`
    update webhook_deliveries set
      status = v.column3,
      attempts = webhook_deliveries.attempts + 1,
      schedule_step = cast(v.column4 as integer),
      next_attempt_at = v.column5,
      lease_until = null,
      lease_token = null,
      last_attempt_at = v.column6,
      last_response_status = cast(v.column7 as integer),
      updated_at = ${now}
    from (values ${sql.join(rows)}) as v
    where webhook_deliveries.id = v.column1 and webhook_deliveries.lease_token = v.column2`.execute(trx);
}

/**
 * Records finished attempts, their verdicts and the endpoints' health in one transaction (a batch keeps
 * commits few when many attempts finish together). A delivery row is updated only while its sender still
 * holds the lease (a redelivery or an expired lease hands it to someone else); the attempt is recorded
 * either way.
 */
export async function recordAttempts(db: Db, records: readonly AttemptRecord[], disableAfterMs: number): Promise<void> {
  if (records.length === 0) return;
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('webhook_attempts')
      .values(
        records.map(({ delivery, outcome }) => ({
          id: newId('attempt'),
          delivery_id: delivery.id,
          attempted_at: outcome.attemptedAt,
          response_status: outcome.status,
          duration_ms: outcome.durationMs,
          response_body: storableText(outcome.responseBody),
          error: outcome.error,
        })),
      )
      .execute();
    await applyVerdicts(trx, records, now);
    // After a success in this batch an endpoint is known to be healthy until one of its attempts fails.
    const healthy = new Set<string>();
    for (const { delivery, verdict } of records) {
      const webhookId = delivery.webhook_id;
      if (verdict.status === 'succeeded' && healthy.has(webhookId)) continue;
      await updateEndpointHealth(trx, webhookId, verdict, disableAfterMs, now);
      if (verdict.status === 'succeeded') healthy.add(webhookId);
      else healthy.delete(webhookId);
    }
  });
}

/**
 * Gives a claimed delivery back untried, due again at `dueAt` (not at once, so a delivery this process
 * cannot send is not claimed again in a loop): no attempt, no step of the retry schedule used up.
 */
export async function releaseUntried(db: Db, delivery: WebhookDeliveryRow, dueAt: string): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({ lease_until: null, lease_token: null, next_attempt_at: dueAt, updated_at: nowIso() })
    .where('id', '=', delivery.id)
    .where('lease_token', '=', delivery.lease_token)
    .execute();
}

/** Drops old secrets whose rotation grace has ended: they must not linger, even encrypted. */
export async function forgetExpiredSecrets(db: Db): Promise<void> {
  await db
    .updateTable('webhooks')
    .set({ previous_secret_encrypted: null, previous_secret_expires_at: null })
    .where('previous_secret_expires_at', '<=', nowIso())
    .execute();
}

/**
 * Deletes deliveries (and, by cascade, their attempts) older than the retention period: finished ones,
 * and pending ones of a disabled endpoint, which would otherwise wait for it forever.
 */
export async function pruneDeliveries(db: Db, retentionMs: number, batch = 1000): Promise<number> {
  const cutoff = new Date(Date.now() - retentionMs).toISOString();
  let total = 0;
  for (;;) {
    const old = db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('created_at', '<', cutoff)
      .where((eb) =>
        eb.or([eb('status', '!=', 'pending'), eb('webhook_id', 'in', eb.selectFrom('webhooks').select('id').where('enabled', '=', 0))]),
      )
      .limit(batch);
    const { numDeletedRows } = await db.deleteFrom('webhook_deliveries').where('id', 'in', old).executeTakeFirst();
    total += Number(numDeletedRows);
    if (Number(numDeletedRows) < batch) return total;
  }
}
