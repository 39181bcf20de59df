import { authorizeById, type ResourceKind } from '../authz/authorize-by-id.js';
import type { WorkspaceAccess } from '../authz/authorize.js';
import type { WebhookPayloadBody } from './payload.js';
import type { Permission } from '../authz/permissions.js';
import type { Principal } from '../authz/principal.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/database.js';
import { AppError, notFound } from '../errors/app-error.js';
import { PING_EVENT } from '../events/event-types.js';
import { newId } from '../lib/ids.js';
import { nowIso } from '../lib/time.js';
import { pendingDelivery } from './delivery-queue.js';
import { fetchPage, idAfterCursor, idCursorOf } from '../http/pagination.js';
import { pingPayload } from './payload.js';
import type { DeliveryStatus } from './retry-policy.js';
import type { WebhookAttemptRow, WebhookDeliveryRow, WebhookRow } from './tables.js';
import { requireManagedInScope, type AuthorizedWebhook } from './webhooks.service.js';

export interface DeliveryView {
  id: string;
  webhookId: string;
  eventType: string;
  messageId: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastResponseStatus: number | null;
  createdAt: string;
  updatedAt: string;
}

function toDeliveryView(row: WebhookDeliveryRow): DeliveryView {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    eventType: row.event_type,
    messageId: row.message_id,
    status: row.status,
    attempts: row.attempts,
    // A finished delivery has no next attempt, whatever the row still says.
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
    lastAttemptAt: row.last_attempt_at,
    lastResponseStatus: row.last_response_status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toAttemptView(row: WebhookAttemptRow) {
  return {
    id: row.id,
    attemptedAt: row.attempted_at,
    responseStatus: row.response_status,
    durationMs: row.duration_ms,
    responseBody: row.response_body,
    error: row.error,
  };
}

export interface AuthorizedDelivery {
  access: WorkspaceAccess;
  delivery: WebhookDeliveryRow;
  webhook: WebhookRow;
}

// A delivery lives where its webhook does.
const DELIVERY: ResourceKind<{ delivery: WebhookDeliveryRow; webhook: WebhookRow }> = {
  noun: 'Delivery',
  async find(db, id) {
    const delivery = await db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
    const webhook = delivery && (await db.selectFrom('webhooks').selectAll().where('id', '=', delivery.webhook_id).executeTakeFirst());
    return delivery && webhook ? { delivery, webhook } : undefined;
  },
  locate: ({ webhook }) => ({ workspaceId: webhook.workspace_id }),
};

/** authorizeById for a delivery, then its webhook's project scope: who may manage a webhook sees its deliveries. */
export async function authorizeDelivery(
  db: Db,
  principal: Principal,
  deliveryId: string,
  permission: Permission,
): Promise<AuthorizedDelivery> {
  const { access, row } = await authorizeById(db, principal, DELIVERY, deliveryId, permission);
  requireManagedInScope(access, row.webhook);
  return { access, ...row };
}

/** Newest first. */
export async function listDeliveries(db: Db, webhookId: string, opts: { limit: number; cursor?: string; status?: DeliveryStatus }) {
  let query = db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId);
  if (opts.status) query = query.where('status', '=', opts.status);
  const after = idAfterCursor(opts);
  if (after) query = query.where('id', '<', after);
  const fetch = (rowCount: number) => query.orderBy('id', 'desc').limit(rowCount).execute();
  const { items, nextCursor } = await fetchPage(opts.limit, fetch, idCursorOf);
  return { items: items.map(toDeliveryView), nextCursor };
}

/** The delivery with its body and every attempt, oldest attempt first. */
export async function deliveryDetail(db: Db, delivery: WebhookDeliveryRow) {
  const attempts = await db
    .selectFrom('webhook_attempts')
    .selectAll()
    .where('delivery_id', '=', delivery.id)
    .orderBy('attempted_at')
    .orderBy('id')
    .execute();
  return {
    ...toDeliveryView(delivery),
    payload: JSON.parse(delivery.payload) as WebhookPayloadBody,
    attemptHistory: attempts.map(toAttemptView),
  };
}

function requireEnabled(webhook: WebhookRow): void {
  if (webhook.enabled !== 1) {
    throw new AppError('CONFLICT', 'This webhook is disabled; enable it (PATCH enabled: true) first', {
      disabledReason: webhook.disabled_reason,
    });
  }
}

/**
 * Sends a delivery again, with the same body and webhook-id, from the start of the retry schedule.
 * Clearing the lease hands it to the next sender at once, even if an attempt is in flight.
 */
export async function redeliver(ctx: AppContext, target: AuthorizedDelivery): Promise<DeliveryView> {
  requireEnabled(target.webhook);
  const now = nowIso();
  await ctx.db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', schedule_step: 0, next_attempt_at: now, lease_until: null, lease_token: null, updated_at: now })
    .where('id', '=', target.delivery.id)
    .execute();
  ctx.deliveriesDue.wake();
  const row = await ctx.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', target.delivery.id).executeTakeFirst();
  if (!row) throw notFound('Delivery');
  return toDeliveryView(row);
}

/** Queues a `ping` to the endpoint; it is sent, signed and retried like any delivery. */
export async function sendPing(ctx: AppContext, target: AuthorizedWebhook): Promise<DeliveryView> {
  requireEnabled(target.row);
  const now = nowIso();
  const messageId = newId('event');
  const row = pendingDelivery(
    {
      webhookId: target.row.id,
      workspaceId: target.row.workspace_id,
      messageId,
      eventType: PING_EVENT,
      payload: pingPayload(messageId, target.row.id, target.row.workspace_id, target.access.actor, now),
    },
    now,
  );
  await ctx.db.insertInto('webhook_deliveries').values(row).execute();
  ctx.deliveriesDue.wake();
  return toDeliveryView(row);
}
