import type { Db } from '../db/database.js';

export interface WebhookBacklog {
  /** Events recorded but not yet turned into deliveries, plus deliveries still pending. */
  outboxDepth: number;
  /** How long the most overdue pending delivery has been waiting for its attempt, in seconds (0: none overdue). */
  deliveryLagSeconds: number;
}

/** Read at scrape time only: two indexed aggregates, never on a request's path. */
export async function webhookBacklog(db: Db, now: Date = new Date()): Promise<WebhookBacklog> {
  const cursor = await db.selectFrom('webhook_cursor').select('last_seq').where('name', '=', 'events').executeTakeFirst();
  const events = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('seq', '>', cursor?.last_seq ?? 0)
    .executeTakeFirstOrThrow();
  const pending = await db
    .selectFrom('webhook_deliveries')
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('next_attempt_at').as('oldest')])
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  const oldest = pending.oldest ? Date.parse(pending.oldest) : Number.NaN;
  const lagMs = Number.isNaN(oldest) ? 0 : Math.max(0, now.getTime() - oldest);
  return { outboxDepth: Number(events.count) + Number(pending.count), deliveryLagSeconds: lagMs / 1000 };
}
