import type { Transaction } from 'kysely';
import type { Static } from 'typebox';
import { recordAudit } from '../audit/audit.service.js';
import { authorizeById, type ResourceKind } from '../authz/authorize-by-id.js';
import { requireProjectInScope, type WorkspaceAccess } from '../authz/authorize.js';
import type { Permission } from '../authz/permissions.js';
import { userOf, type Principal } from '../authz/principal.js';
import type { AppContext } from '../context.js';
import type { Db, DialectName } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { requireDeleted } from '../db/deletion.js';
import { AppError, notFound } from '../errors/app-error.js';
import { invalidField } from '../errors/validation.js';
import { isEventSubscription } from '../events/event-types.js';
import { newId } from '../lib/ids.js';
import { isoIn, nowIso } from '../lib/time.js';
import { pauseDeliveries, resumeDeliveries } from './delivery-queue.js';
import { fetchPage, idAfterCursor, idCursorOf } from '../http/pagination.js';
import { secretBoxFor } from './secret-box.js';
import { generateSigningSecret } from './signing.js';
import type { WebhookRow } from './tables.js';
import { recordWebhookDisabled, toWebhookView, type WebhookView } from './webhook-view.js';
import { assertDeliverableUrl } from './url-safety.js';
import type { CreateWebhookBody, UpdateWebhookBody } from './webhooks.schemas.js';

export interface WebhookWithSecret extends WebhookView {
  secret: string;
}

/** A webhook and the caller's access to its workspace, checked for the permission and the project scope. */
export interface AuthorizedWebhook {
  access: WorkspaceAccess;
  row: WebhookRow;
}

/** A project-scoped token manages only webhooks limited to its own projects. */
function requireWebhookInScope(access: WorkspaceAccess, projectIds: readonly string[] | null): void {
  if (access.projectIds === null) return;
  if (projectIds === null) {
    throw new AppError(
      'PROJECT_OUT_OF_SCOPE',
      'This token is limited to some projects: a webhook it manages must name projectIds among them',
      { refusedBy: 'project_restriction' },
    );
  }
  for (const projectId of projectIds) requireProjectInScope(access, projectId);
}

function projectIdsOf(row: WebhookRow): string[] | null {
  return row.project_ids === null ? null : (JSON.parse(row.project_ids) as string[]);
}

/** A webhook (or one of its deliveries) is managed only by a token whose projects cover the webhook's. */
export function requireManagedInScope(access: WorkspaceAccess, row: WebhookRow): void {
  requireWebhookInScope(access, projectIdsOf(row));
}

const WEBHOOK: ResourceKind<WebhookRow> = {
  noun: 'Webhook',
  find: (db, id) => db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst(),
  locate: (row) => ({ workspaceId: row.workspace_id }),
};

/** authorizeById for a webhook, then its project scope (which a member's token may still lack: 403). */
export async function authorizeWebhook(
  db: Db,
  principal: Principal,
  webhookId: string,
  permission: Permission,
): Promise<AuthorizedWebhook> {
  const { access, row } = await authorizeById(db, principal, WEBHOOK, webhookId, permission);
  requireManagedInScope(access, row);
  return { access, row };
}

/** Known subscriptions, each once, in the order given. */
function checkedSubscriptions(events: readonly string[]): string[] {
  const unknown = events.filter((e) => !isEventSubscription(e));
  if (unknown.length > 0) throw invalidField('events', `has unknown event types: ${unknown.join(', ')}`);
  return [...new Set(events)];
}

/** Each project once; every one must be a project of this workspace. */
async function checkedProjectIds(db: Db, workspaceId: string, projectIds: readonly string[] | null): Promise<string[] | null> {
  if (projectIds === null) return null;
  const unique = [...new Set(projectIds)];
  const found = await db.selectFrom('projects').select('id').where('workspace_id', '=', workspaceId).where('id', 'in', unique).execute();
  const known = new Set(found.map((p) => p.id));
  const unknown = unique.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw invalidField('projectIds', `has projects that are not in this workspace: ${unknown.join(', ')}`);
  }
  return unique;
}

function auditOf(access: WorkspaceAccess, action: string, webhookId: string, ip: string | null, details: Record<string, unknown> = {}) {
  return {
    userId: userOf(access.principal)?.id ?? null,
    workspaceId: access.workspaceId,
    actor: access.actor,
    action,
    targetType: 'webhook',
    targetId: webhookId,
    ip,
    details,
  };
}

async function reloaded(db: Db, id: string): Promise<WebhookRow> {
  const row = await db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Webhook');
  return row;
}

/** Oldest first; a project-scoped token sees only webhooks within its projects. */
export async function listWebhooks(db: Db, access: WorkspaceAccess, opts: { limit: number; cursor?: string }) {
  let query = db.selectFrom('webhooks').selectAll().where('workspace_id', '=', access.workspaceId);
  const after = idAfterCursor(opts);
  if (after) query = query.where('id', '>', after);
  const fetch = (rowCount: number) => query.orderBy('id').limit(rowCount).execute();
  const { items, nextCursor } = await fetchPage(opts.limit, fetch, idCursorOf);
  const visible = items.filter((row) => {
    const projects = projectIdsOf(row);
    return access.projectIds === null || projects?.every((p) => access.projectIds?.has(p));
  });
  return { items: visible.map(toWebhookView), nextCursor };
}

/** Each endpoint turns every event of its workspace into a delivery: a workspace has this many at most. */
export const MAX_WEBHOOKS_PER_WORKSPACE = 100;

async function requireRoomForWebhook(trx: Transaction<Database>, dialect: DialectName, workspaceId: string): Promise<void> {
  // On PostgreSQL creations in one workspace queue behind this row lock, so two at once cannot both take
  // the last place; SQLite runs one transaction at a time.
  if (dialect === 'postgres') await trx.selectFrom('workspaces').select('id').where('id', '=', workspaceId).forNoKeyUpdate().execute();
  const { count } = await trx
    .selectFrom('webhooks')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirstOrThrow();
  if (Number(count) >= MAX_WEBHOOKS_PER_WORKSPACE) {
    throw new AppError(
      'CONFLICT',
      `This workspace already has ${MAX_WEBHOOKS_PER_WORKSPACE} webhooks, the most it may have: delete one it no longer needs first`,
      { limit: MAX_WEBHOOKS_PER_WORKSPACE },
    );
  }
}

export async function createWebhook(
  ctx: AppContext,
  access: WorkspaceAccess,
  input: Static<typeof CreateWebhookBody>,
  ip: string | null,
): Promise<WebhookWithSecret> {
  requireWebhookInScope(access, input.projectIds ?? null);
  const projectIds = await checkedProjectIds(ctx.db, access.workspaceId, input.projectIds ?? null);
  const events = checkedSubscriptions(input.events);
  const url = await assertDeliverableUrl(input.url, ctx.config.webhookAllowPrivate);
  const id = newId('webhook');
  const secret = generateSigningSecret();
  const now = nowIso();
  const enabled = input.enabled ?? true;
  const row: WebhookRow = {
    id,
    workspace_id: access.workspaceId,
    url: url.href,
    description: input.description ?? '',
    events: JSON.stringify(events),
    project_ids: projectIds === null ? null : JSON.stringify(projectIds),
    enabled: enabled ? 1 : 0,
    secret_encrypted: secretBoxFor(ctx.config).seal(secret, id),
    previous_secret_encrypted: null,
    previous_secret_expires_at: null,
    disabled_reason: enabled ? null : 'Created disabled',
    disabled_at: enabled ? null : now,
    failing_since: null,
    created_by_type: access.actor.type,
    created_by_id: access.actor.id,
    created_at: now,
    updated_at: now,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await requireRoomForWebhook(trx, ctx.dialect, access.workspaceId);
    await trx.insertInto('webhooks').values(row).execute();
    await recordAudit(trx, auditOf(access, 'webhook.created', id, ip, { url: row.url, events }));
  });
  return { ...toWebhookView(row), secret };
}

export async function updateWebhook(
  ctx: AppContext,
  target: AuthorizedWebhook,
  input: Static<typeof UpdateWebhookBody>,
  ip: string | null,
): Promise<WebhookView> {
  const { access, row } = target;
  const now = nowIso();
  const changes: Partial<WebhookRow> = { updated_at: now };
  if (input.projectIds !== undefined) {
    requireWebhookInScope(access, input.projectIds);
    const projectIds = await checkedProjectIds(ctx.db, access.workspaceId, input.projectIds);
    changes.project_ids = projectIds === null ? null : JSON.stringify(projectIds);
  }
  if (input.events !== undefined) changes.events = JSON.stringify(checkedSubscriptions(input.events));
  if (input.url !== undefined) changes.url = (await assertDeliverableUrl(input.url, ctx.config.webhookAllowPrivate)).href;
  if (input.description !== undefined) changes.description = input.description;
  const enabling = input.enabled === true && row.enabled === 0;
  const disabling = input.enabled === false && row.enabled === 1;
  // Re-enabling starts a clean record, and the deliveries left pending resume.
  if (enabling) Object.assign(changes, { enabled: 1, disabled_at: null, disabled_reason: null, failing_since: null });
  if (disabling) Object.assign(changes, { enabled: 0, disabled_at: now, disabled_reason: 'Disabled through the API' });
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('webhooks').set(changes).where('id', '=', row.id).execute();
    if (enabling) await resumeDeliveries(trx, row.id, now);
    if (disabling) {
      await pauseDeliveries(trx, row.id);
      await recordWebhookDisabled(trx, { ...row, ...changes }, access.actor);
    }
    await recordAudit(trx, auditOf(access, 'webhook.updated', row.id, ip, { fields: Object.keys(input) }));
  });
  return toWebhookView(await reloaded(ctx.db, row.id));
}

export async function deleteWebhook(db: Db, target: AuthorizedWebhook, ip: string | null): Promise<void> {
  await db.transaction().execute(async (trx) => {
    requireDeleted(await trx.deleteFrom('webhooks').where('id', '=', target.row.id).executeTakeFirst(), 'Webhook');
    await recordAudit(trx, auditOf(target.access, 'webhook.deleted', target.row.id, ip, { url: target.row.url }));
  });
}

const DEFAULT_GRACE_SECONDS = 86_400;

/** A new secret, returned once; the old one keeps signing (beside the new) until the grace ends. */
export async function rotateWebhookSecret(
  ctx: AppContext,
  target: AuthorizedWebhook,
  graceSeconds: number | undefined,
  ip: string | null,
): Promise<WebhookWithSecret> {
  const { access, row } = target;
  const grace = graceSeconds ?? DEFAULT_GRACE_SECONDS;
  const secret = generateSigningSecret();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('webhooks')
      // The secret being replaced is copied in SQL, not from the row read before: of two rotations at
      // once, the second keeps the first one's new secret, which its caller already holds.
      .set((eb) => ({
        secret_encrypted: secretBoxFor(ctx.config).seal(secret, row.id),
        previous_secret_encrypted: grace > 0 ? eb.ref('secret_encrypted') : null,
        previous_secret_expires_at: grace > 0 ? isoIn(grace * 1000) : null,
        updated_at: nowIso(),
      }))
      .where('id', '=', row.id)
      .execute();
    await recordAudit(trx, auditOf(access, 'webhook.secret_rotated', row.id, ip, { graceSeconds: grace }));
  });
  return { ...toWebhookView(await reloaded(ctx.db, row.id)), secret };
}
