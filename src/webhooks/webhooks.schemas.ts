import { Type } from 'typebox';
import { EVENT_TYPE_NAMES, RESOURCE_TYPES } from '../events/event-types.js';
import { Named, Nullable, StrictObject, Timestamp } from '../http/schemas.js';
import { ActorSchema, StringEnum } from '../http/common-schemas.js';

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

export const CreateWebhookBody = Named(
  'NewWebhook',
  StrictObject({
    url: Url,
    events: Subscriptions,
    description: Type.Optional(Description),
    enabled: Type.Optional(Type.Boolean({ description: 'true when left out' })),
    projectIds: Type.Optional(Nullable(ProjectIds)),
  }),
);

export const UpdateWebhookBody = Named(
  'WebhookChanges',
  StrictObject({
    url: Type.Optional(Url),
    events: Type.Optional(Subscriptions),
    description: Type.Optional(Description),
    enabled: Type.Optional(Type.Boolean({ description: 'false pauses deliveries; true resumes them and clears the failure record' })),
    projectIds: Type.Optional(Nullable(ProjectIds)),
  }),
);

export const RotateSecretBody = Named(
  'WebhookSecretRotation',
  StrictObject(
    {
      graceSeconds: Type.Optional(
        Type.Integer({ minimum: 0, maximum: 7 * 86_400, description: 'How long the old secret still signs (default 24 h)' }),
      ),
    },
    { description: 'The body may be left out' },
  ),
);

export const WebhookSchema = Named(
  'Webhook',
  Type.Object(
    {
      id: Type.String(),
      workspaceId: Type.String(),
      url: Type.String(),
      description: Type.String(),
      events: Type.Array(Type.String(), { description: 'What it subscribes to: event types (`task.created`), families (`task.*`) or `*`' }),
      projectIds: Nullable(Type.Array(Type.String(), { description: 'Only events of these projects; null: every event of the workspace' })),
      enabled: Type.Boolean(),
      disabledAt: Nullable(Timestamp),
      disabledReason: Nullable(Type.String({ description: 'Why the endpoint was disabled (410 Gone, failing too long, or by hand)' })),
      failingSince: Nullable(
        Type.String({ format: 'date-time', description: 'Since when its deliveries have been failing; null while they succeed' }),
      ),
      previousSecretExpiresAt: Nullable(
        Type.String({ format: 'date-time', description: 'Until then deliveries are signed by the old secret too' }),
      ),
      createdBy: ActorSchema,
      createdAt: Timestamp,
      updatedAt: Timestamp,
    },
    { description: "An endpoint that receives signed deliveries of the workspace's events; never shows its secret" },
  ),
);

export const WebhookWithSecretSchema = Named(
  'CreatedWebhook',
  Type.Object(
    {
      ...WebhookSchema.properties,
      secret: Type.String({ description: 'The signing secret (whsec_…): shown this once' }),
    },
    { description: 'A webhook with its signing secret, which is never shown again: the answer to creating one or rotating its secret' },
  ),
);

const DeliveryStatusSchema = Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')]);

export const DeliverySchema = Named(
  'Delivery',
  Type.Object(
    {
      id: Type.String(),
      webhookId: Type.String(),
      eventType: StringEnum(EVENT_TYPE_NAMES, { description: 'The event it reports; `ping` for a test' }),
      messageId: Type.String({ description: 'The webhook-id header, the same on every attempt' }),
      status: StringEnum(['pending', 'succeeded', 'failed'], {
        description: 'pending: to be sent, or retried (paused while the webhook is disabled); succeeded: answered 2xx; failed: given up',
      }),
      attempts: Type.Integer({ minimum: 0, description: 'Attempts made so far' }),
      nextAttemptAt: Nullable(
        Type.String({ format: 'date-time', description: 'When the next attempt is due; null once finished, or while paused' }),
      ),
      lastAttemptAt: Nullable(Timestamp),
      lastResponseStatus: Nullable(
        Type.Integer({ description: 'The HTTP status of the last attempt; null before one, or when none came back' }),
      ),
      createdAt: Timestamp,
      updatedAt: Timestamp,
    },
    { description: 'One event (or ping) to send to one webhook, retried until it succeeds or the schedule is spent' },
  ),
);

const AttemptSchema = Named(
  'DeliveryAttempt',
  Type.Object({
    id: Type.String(),
    attemptedAt: Timestamp,
    responseStatus: Nullable(Type.Integer({ description: 'null when no answer came (refused, timed out…): see `error`' })),
    durationMs: Type.Integer({ minimum: 0 }),
    responseBody: Nullable(Type.String({ description: 'The first 2 KB of the response body' })),
    error: Nullable(Type.String({ description: 'Why no answer came; null when one did' })),
  }),
);

/** The body of every delivery, as src/webhooks/payload.ts writes it (Standard Webhooks: `{ type, timestamp, data }`). */
const WebhookPayload = Named(
  'WebhookPayload',
  Type.Object(
    {
      type: StringEnum(EVENT_TYPE_NAMES, { description: 'The event type; `ping` for a test' }),
      timestamp: Type.String({ format: 'date-time', description: 'When the event happened' }),
      data: Type.Object({
        eventId: Type.String({ description: "The event's id, also the webhook-id header" }),
        workspaceId: Type.String(),
        projectId: Nullable(Type.String()),
        resourceType: StringEnum(RESOURCE_TYPES),
        resourceId: Type.String(),
        actor: ActorSchema,
        object: Type.Object(
          {},
          {
            additionalProperties: true,
            description: "The resource after the change (before it, for a deletion), as the event's `data`; `{ webhookId }` for a ping",
          },
        ),
      }),
    },
    { description: 'The JSON body sent to the endpoint, signed as Standard Webhooks describes' },
  ),
);

export const DeliveryDetailSchema = Named(
  'DeliveryDetail',
  Type.Object(
    {
      ...DeliverySchema.properties,
      payload: WebhookPayload,
      attemptHistory: Type.Array(AttemptSchema, { description: 'Oldest first' }),
    },
    { description: 'A delivery with the body it sends and every attempt' },
  ),
);

export const DeliveryQuery = StrictObject({
  status: Type.Optional(DeliveryStatusSchema),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});
