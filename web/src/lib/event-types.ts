import type { Event } from '@taskgate/client';

export type EventType = Event['type'];

/** Every event type, grouped by resource in the API's order. */
const EVENT_TYPES = [
  'task.created',
  'task.updated',
  'task.deleted',
  'task.assigned',
  'task.unassigned',
  'task.claimed',
  'task.released',
  'task.completed',
  'task.labeled',
  'task.unlabeled',
  'project.created',
  'project.updated',
  'project.archived',
  'project.unarchived',
  'project.deleted',
  'space.created',
  'space.updated',
  'space.deleted',
  'label.created',
  'label.updated',
  'label.deleted',
  'member.added',
  'member.role_changed',
  'member.removed',
  'member.invited',
  'member.invitation_declined',
  'member.invitation_revoked',
  'workspace.created',
  'workspace.updated',
  'access_token.created',
  'access_token.updated',
  'access_token.disabled',
  'access_token.enabled',
  'access_token.deleted',
  'access_token.revoked',
  'agent.created',
  'agent.updated',
  'agent.deleted',
  'agent.token_issued',
  'agent.token_revoked',
  'agent.disabled',
  'agent.enabled',
  'webhook.disabled',
  'token.leaked',
  'token.expiring',
  'token.stale',
] as const satisfies readonly EventType[];

// A type the API adds and this list lacks fails the build here.
type Missing = Exclude<EventType, (typeof EVENT_TYPES)[number]>;
const complete: Missing extends never ? true : Missing = true;
void complete;

/** The types by family (`task`, `project`…), for pickers. */
export const EVENT_FAMILIES: Array<{ family: string; types: EventType[] }> = [...new Set(EVENT_TYPES.map((t) => t.split('.')[0]!))].map(
  (family) => ({
    family,
    types: EVENT_TYPES.filter((t) => t.startsWith(`${family}.`)),
  }),
);
