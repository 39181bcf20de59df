import type { Actor } from '../authz/principal.js';
import { PING_EVENT } from '../events/event-types.js';

/** What a delivery carries about the event it reports. */
export interface EventFacts {
  id: string;
  type: string;
  workspaceId: string;
  projectId: string | null;
  resourceType: string;
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
  return JSON.stringify({
    type: event.type,
    timestamp: event.createdAt,
    data: {
      eventId: event.id,
      workspaceId: event.workspaceId,
      projectId: event.projectId,
      resourceType: event.resourceType,
      resourceId: event.resourceId,
      actor: event.actor,
      object: JSON.parse(event.data) as unknown,
    },
  });
}

/** The body of a `ping` sent by `POST /webhooks/{id}/test`. */
export function pingPayload(messageId: string, webhookId: string, workspaceId: string, actor: Actor, at: string): string {
  return JSON.stringify({
    type: PING_EVENT,
    timestamp: at,
    data: { eventId: messageId, workspaceId, projectId: null, resourceType: 'webhook', resourceId: webhookId, actor, object: { webhookId } },
  });
}
