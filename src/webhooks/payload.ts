import type { Actor } from '../authz/principal.js';
import { PING_EVENT, type ResourceType } from '../events/event-types.js';

/** The JSON body of every delivery (Standard Webhooks: `{ type, timestamp, data }`). */
export interface WebhookPayloadBody {
  type: string;
  timestamp: string;
  data: {
    eventId: string;
    workspaceId: string;
    projectId: string | null;
    resourceType: ResourceType;
    resourceId: string;
    actor: Actor;
    object: Record<string, unknown>;
  };
}

/** What a delivery carries about the event it reports. */
export interface EventFacts {
  id: string;
  type: string;
  workspaceId: string;
  projectId: string | null;
  resourceType: ResourceType;
  resourceId: string;
  actor: Actor;
  /** The resource snapshot recorded with the event (JSON text). */
  data: string;
  createdAt: string;
}

/**
 * The JSON body every attempt of a delivery sends, byte for byte: `{type, timestamp, data}` where `data`
 * holds the event's id, the actor, and the resource snapshot as `object`.
 */
export function eventPayload(event: EventFacts): string {
  const body: WebhookPayloadBody = {
    type: event.type,
    timestamp: event.createdAt,
    data: {
      eventId: event.id,
      workspaceId: event.workspaceId,
      projectId: event.projectId,
      resourceType: event.resourceType,
      resourceId: event.resourceId,
      actor: event.actor,
      object: JSON.parse(event.data) as Record<string, unknown>,
    },
  };
  return JSON.stringify(body);
}

/** The body of a `ping` sent by `POST /webhooks/{id}/test`. */
export function pingPayload(messageId: string, webhookId: string, workspaceId: string, actor: Actor, at: string): string {
  const body: WebhookPayloadBody = {
    type: PING_EVENT,
    timestamp: at,
    data: {
      eventId: messageId,
      workspaceId,
      projectId: null,
      resourceType: 'webhook',
      resourceId: webhookId,
      actor,
      object: { webhookId },
    },
  };
  return JSON.stringify(body);
}
