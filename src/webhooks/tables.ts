import type { Actor } from '../authz/principal.js';
// Row types as stored: timestamps are ISO-8601 text, booleans 0/1 integers, JSON is text.

export interface WebhookRow {
  id: string;
  workspace_id: string;
  url: string;
  description: string;
  /** JSON array of subscriptions: event types, `<family>.*` or `*`. */
  events: string;
  /** JSON array of project ids, or null for every project. */
  project_ids: string | null;
  enabled: number;
  /** AES-256-GCM ciphertext of the signing secret (see secret-box.ts); never the secret itself. */
  secret_encrypted: string;
  /** The secret before the last rotation, kept (encrypted) until `previous_secret_expires_at`. */
  previous_secret_encrypted: string | null;
  previous_secret_expires_at: string | null;
  disabled_reason: string | null;
  disabled_at: string | null;
  /** Set at the first failure after a success; the endpoint is disabled once it is old enough. */
  failing_since: string | null;
  created_by_type: Actor['type'];
  created_by_id: string;
  created_at: string;
  updated_at: string;
}

export interface WebhookDeliveryRow {
  id: string;
  webhook_id: string;
  workspace_id: string;
  /** The `webhook-id` header: the event's id, the same on every attempt and redelivery. */
  message_id: string;
  event_type: string;
  /** The exact JSON body sent on every attempt. */
  payload: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  /** Position in the retry schedule; a redelivery starts it again. */
  schedule_step: number;
  next_attempt_at: string | null;
  /** A sender owns the delivery until then; a crashed sender's lease simply runs out. */
  lease_until: string | null;
  lease_token: string | null;
  last_attempt_at: string | null;
  last_response_status: number | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookAttemptRow {
  id: string;
  delivery_id: string;
  attempted_at: string;
  response_status: number | null;
  duration_ms: number;
  /** The first 2 KB of the response body. */
  response_body: string | null;
  error: string | null;
}

/** Where fan-out has got to in the events outbox (one row). */
interface WebhookCursorRow {
  name: string;
  last_seq: number;
  /** PostgreSQL only: the transaction id of the last event fanned out (events are read in commit-safe order). */
  last_txid: string;
  updated_at: string;
}

/** Which key the stored secrets are encrypted with (one row; see key-check.ts). */
interface WebhookKeyCheckRow {
  name: string;
  /** HMAC-SHA256 of a fixed label under the key: tells keys apart without revealing one. */
  check_value: string;
  created_at: string;
}

/** Tables owned by the webhooks domain (created by migrations 0005_webhooks and 0006_webhook_key_check). */
export interface WebhookTables {
  webhooks: WebhookRow;
  webhook_deliveries: WebhookDeliveryRow;
  webhook_attempts: WebhookAttemptRow;
  webhook_cursor: WebhookCursorRow;
  webhook_key_check: WebhookKeyCheckRow;
}
