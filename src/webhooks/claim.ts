import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Db, DialectName } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { nowIso } from '../lib/time.js';
import type { WebhookDeliveryRow } from './tables.js';

export interface ClaimRequest {
  /** How many deliveries this sender can start now. */
  limit: number;
  leaseMs: number;
  /** How many more this sender may have in flight to one endpoint (a slow endpoint must not take every slot). */
  roomFor(webhookId: string): number;
  /** Endpoints with no room left, left out of the search. */
  fullEndpoints: readonly string[];
}

export interface Claim {
  deliveries: WebhookDeliveryRow[];
  /** More was due than was taken: worth claiming again as soon as a slot frees up. */
  moreDue: boolean;
}

// Candidates looked at per slot: enough to find other endpoints' work behind one endpoint's backlog.
const CANDIDATES_PER_SLOT = 4;

type Reader = Db | Transaction<Database>;

async function dueCandidates(db: Reader, dialect: DialectName, request: ClaimRequest, now: string) {
  let query = db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
    .select(['d.id', 'd.webhook_id'])
    .where('d.status', '=', 'pending')
    .where('d.next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('d.lease_until', 'is', null), eb('d.lease_until', '<', now)]))
    .where('w.enabled', '=', 1)
    .orderBy('d.next_attempt_at')
    .limit(request.limit * CANDIDATES_PER_SLOT);
  if (request.fullEndpoints.length > 0) query = query.where('d.webhook_id', 'not in', request.fullEndpoints);
  // Concurrent processes skip each other's candidates instead of queueing behind them.
  if (dialect === 'postgres') query = query.forUpdate('d').skipLocked();
  return query.execute();
}

function pick(candidates: Array<{ id: string; webhook_id: string }>, request: ClaimRequest): string[] {
  const taken = new Map<string, number>();
  const picked: string[] = [];
  for (const { id, webhook_id: webhookId } of candidates) {
    if (picked.length >= request.limit) break;
    const used = taken.get(webhookId) ?? 0;
    if (used >= request.roomFor(webhookId)) continue;
    taken.set(webhookId, used + 1);
    picked.push(id);
  }
  return picked;
}

/**
 * The time leases are taken and judged expired by. Servers sharing a PostgreSQL database read the
 * database's clock, so one whose own clock runs ahead cannot take a lease another still holds. SQLite's
 * processes share one machine and its clock. Due times (next_attempt_at) are still written by each
 * process's clock, so clocks should be NTP-synchronised: a skew makes retries that much early or late.
 */
async function leaseClock(trx: Reader, dialect: DialectName): Promise<number> {
  if (dialect !== 'postgres') return Date.now();
  const { rows } = await sql<{ now: Date }>`select clock_timestamp() as now`.execute(trx);
  return rows[0]?.now.getTime() ?? Date.now();
}

/**
 * Claims due deliveries of enabled endpoints for `leaseMs`. The UPDATE re-checks that each row is still
 * unclaimed, so two senders never hold one delivery; on PostgreSQL the candidates are also locked
 * FOR UPDATE SKIP LOCKED until the claim commits. A sender that dies simply lets its lease run out, and
 * the delivery is claimed again.
 */
export async function claimDueDeliveries(db: Db, dialect: DialectName, request: ClaimRequest): Promise<Claim> {
  const claim = async (trx: Reader): Promise<Claim> => {
    const nowMs = await leaseClock(trx, dialect);
    const now = new Date(nowMs).toISOString();
    const candidates = await dueCandidates(trx, dialect, request, now);
    const picked = pick(candidates, request);
    const moreDue = candidates.length > picked.length;
    if (picked.length === 0) return { deliveries: [], moreDue };
    const deliveries = await trx
      .updateTable('webhook_deliveries')
      .set({ lease_until: new Date(nowMs + request.leaseMs).toISOString(), lease_token: randomUUID(), updated_at: nowIso() })
      .where('id', 'in', picked)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .returningAll()
      .execute();
    return { deliveries, moreDue };
  };
  // SQLite serialises writers and the UPDATE re-checks, so it needs no transaction (and no read lock to upgrade).
  return dialect === 'postgres' ? db.transaction().execute(claim) : claim(db);
}
