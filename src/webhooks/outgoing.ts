import { createRequire } from 'node:module';
import type { Config } from '../config/config.js';
import type { AttemptRequest } from './http-sender.js';
import type { SecretBox } from './secret-box.js';
import { signatureHeader } from './signing.js';
import type { WebhookDeliveryRow, WebhookRow } from './tables.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };
const USER_AGENT = `Taskgate-Webhooks/${version}`;

/** What an attempt needs to know about its endpoint. */
export type Endpoint = Pick<WebhookRow, 'id' | 'url' | 'secret_encrypted' | 'previous_secret_encrypted' | 'previous_secret_expires_at'>;

/** The secrets a delivery is signed with now: the current one, and the previous one during its grace. */
function liveSecrets(box: SecretBox, endpoint: Endpoint, now: string): string[] {
  const secrets = [box.open(endpoint.secret_encrypted, endpoint.id)];
  if (endpoint.previous_secret_encrypted && endpoint.previous_secret_expires_at && endpoint.previous_secret_expires_at > now) {
    secrets.push(box.open(endpoint.previous_secret_encrypted, endpoint.id));
  }
  return secrets;
}

export class UndecryptableSecretError extends Error {}

/**
 * One attempt's request, per Standard Webhooks: the delivery's fixed body and webhook-id, this attempt's
 * timestamp, and a `v1,` signature per live secret. Throws UndecryptableSecretError when the key changed.
 */
export function attemptRequest(
  box: SecretBox,
  config: Pick<Config, 'webhookTimeoutMs' | 'webhookAllowPrivate'>,
  delivery: WebhookDeliveryRow,
  endpoint: Endpoint,
  attemptedAt: string,
): AttemptRequest {
  let secrets: string[];
  try {
    secrets = liveSecrets(box, endpoint, attemptedAt);
  } catch {
    throw new UndecryptableSecretError('The signing secret cannot be decrypted: was the encryption key changed?');
  }
  const timestamp = Math.floor(Date.parse(attemptedAt) / 1000);
  return {
    url: endpoint.url,
    body: delivery.payload,
    timeoutMs: config.webhookTimeoutMs,
    allowPrivate: config.webhookAllowPrivate,
    headers: {
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      'webhook-id': delivery.message_id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signatureHeader(secrets, delivery.message_id, timestamp, delivery.payload),
      'x-taskgate-event': delivery.event_type,
    },
  };
}
