import { Type } from 'typebox';
import { Nullable, StrictObject, Timestamp } from '../http/schemas.js';

const Url = Type.String({ minLength: 1, maxLength: 2048, description: 'An http(s) URL; private and loopback hosts are refused' });
const Subscriptions = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
  minItems: 1,
  maxItems: 100,
  description: 'Event types (`task.created`), families (`task.*`) or `*` for everything',
});
const Description = Type.String({ maxLength: 500 });
const ProjectIds = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
  minItems: 1,
  maxItems: 100,
  description: 'Only events of these projects (events outside any project are then not sent)',
});

export const CreateWebhookBody = StrictObject({
  url: Url,
  events: Subscriptions,
  description: Type.Optional(Description),
  enabled: Type.Optional(Type.Boolean()),
  projectIds: Type.Optional(Nullable(ProjectIds)),
});

export const UpdateWebhookBody = StrictObject({
  url: Type.Optional(Url),
  events: Type.Optional(Subscriptions),
  description: Type.Optional(Description),
  enabled: Type.Optional(Type.Boolean()),
  projectIds: Type.Optional(Nullable(ProjectIds)),
});

export const RotateSecretBody = StrictObject({
  graceSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 7 * 86_400, description: 'How long the old secret still signs (default 24 h)' })),
});

export const WebhookSchema = Type.Object({
  id: Type.String(),
  workspaceId: Type.String(),
  url: Type.String(),
  description: Type.String(),
  events: Type.Array(Type.String()),
  projectIds: Nullable(Type.Array(Type.String())),
  enabled: Type.Boolean(),
  disabledAt: Nullable(Timestamp),
  disabledReason: Nullable(Type.String({ description: 'Why the endpoint was disabled (410 Gone, failing too long, or by hand)' })),
  failingSince: Nullable(Timestamp),
  previousSecretExpiresAt: Nullable(Type.String({ description: 'Until then deliveries are signed by the old secret too' })),
  createdBy: Type.Object({ type: Type.String(), id: Type.String() }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const WebhookWithSecretSchema = Type.Object({
  ...WebhookSchema.properties,
  secret: Type.String({ description: 'The signing secret (whsec_…): shown this once' }),
});

export const DeliveryStatusSchema = Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')]);

export const DeliverySchema = Type.Object({
  id: Type.String(),
  webhookId: Type.String(),
  eventType: Type.String(),
  messageId: Type.String({ description: 'The webhook-id header, the same on every attempt' }),
  status: DeliveryStatusSchema,
  attempts: Type.Integer(),
  nextAttemptAt: Nullable(Timestamp),
  lastAttemptAt: Nullable(Timestamp),
  lastResponseStatus: Nullable(Type.Integer()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const AttemptSchema = Type.Object({
  id: Type.String(),
  attemptedAt: Timestamp,
  responseStatus: Nullable(Type.Integer()),
  durationMs: Type.Integer(),
  responseBody: Nullable(Type.String({ description: 'The first 2 KB of the response body' })),
  error: Nullable(Type.String()),
});

export const DeliveryDetailSchema = Type.Object({
  ...DeliverySchema.properties,
  payload: Type.Unknown({ description: 'The JSON body sent' }),
  attemptHistory: Type.Array(AttemptSchema),
});

export const DeliveryQuery = StrictObject({
  status: Type.Optional(DeliveryStatusSchema),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});
