import type { Transaction } from 'kysely';
import type { Actor } from '../authz/principal.js';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { recordEvent } from '../events/events.service.js';
import { nowIso } from '../lib/time.js';
import type { WebhookRow } from './tables.js';
import { maskedUrl } from './url-safety.js';

/** A webhook as the API shows it and events carry it: never its secret. */
export interface WebhookView {
  id: string;
  workspaceId: string;
  url: string;
  description: string;
  events: string[];
  projectIds: string[] | null;
  enabled: boolean;
  disabledAt: string | null;
  disabledReason: string | null;
  failingSince: string | null;
  previousSecretExpiresAt: string | null;
  createdBy: Actor;
  createdAt: string;
  updatedAt: string;
}

export function toWebhookView(row: WebhookRow): WebhookView {
  const graceLive = row.previous_secret_expires_at !== null && row.previous_secret_expires_at > nowIso();
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    url: row.url,
    description: row.description,
    events: JSON.parse(row.events) as string[],
    projectIds: row.project_ids === null ? null : (JSON.parse(row.project_ids) as string[]),
    enabled: row.enabled === 1,
    disabledAt: row.disabled_at,
    disabledReason: row.disabled_reason,
    failingSince: row.failing_since,
    previousSecretExpiresAt: graceLive ? row.previous_secret_expires_at : null,
    createdBy: { type: row.created_by_type, id: row.created_by_id },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * Records `webhook.disabled`, by hand or automatically (the reason says which): an endpoint that stops
 * receiving should not go unnoticed by whoever watches the workspace.
 */
export async function recordWebhookDisabled(trx: Transaction<Database> | Db, row: WebhookRow, actor: Actor): Promise<void> {
  await recordEvent(trx, {
    workspaceId: row.workspace_id,
    type: 'webhook.disabled',
    actor,
    resourceType: 'webhook',
    resourceId: row.id,
    // Viewers read events: the URL's query (the receiver's key, often) is not theirs to see.
    data: { ...toWebhookView(row), url: maskedUrl(row.url) },
  });
}
