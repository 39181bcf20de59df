/**
 * The event types a webhook may subscribe to, by family. A domain that records a new event type adds
 * it here so endpoints can subscribe to it; `*` (everything) and `<family>.*` are also accepted.
 */
const EVENT_TYPES = {
  task: ['created', 'updated', 'deleted', 'assigned', 'unassigned', 'claimed', 'released', 'completed', 'labeled', 'unlabeled'],
  project: ['created', 'updated', 'archived', 'unarchived', 'deleted'],
  space: ['created', 'updated', 'deleted'],
  label: ['created', 'updated', 'deleted'],
  member: ['added', 'role_changed', 'removed', 'invited', 'invitation_declined', 'invitation_revoked'],
  workspace: ['created', 'updated'],
  access_token: ['created', 'updated', 'disabled', 'enabled', 'deleted', 'revoked'],
  agent: ['created', 'updated', 'deleted', 'token_issued', 'token_revoked', 'disabled', 'enabled'],
  webhook: ['disabled'],
  token: ['leaked', 'expiring', 'stale'],
} as const;

/** What an event is about (`resourceType`); `webhook` also names a ping's subject in a webhook payload. */
export const RESOURCE_TYPES = [
  'task',
  'project',
  'space',
  'label',
  'member',
  'workspace',
  'access_token',
  'agent',
  'webhook',
  'token',
] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

/** Sent by `POST /webhooks/{id}/test`; never recorded in the event history. */
export const PING_EVENT = 'ping';

export const EVENT_TYPE_NAMES: readonly string[] = [
  ...Object.entries(EVENT_TYPES).flatMap(([family, actions]) => actions.map((action) => `${family}.${action}`)),
  PING_EVENT,
];

const FAMILIES = new Set(Object.keys(EVENT_TYPES));
const NAMES = new Set(EVENT_TYPE_NAMES);

/** A valid subscription entry: `*`, `<family>.*`, or an exact event type from the catalogue. */
export function isEventSubscription(entry: string): boolean {
  if (entry === '*' || NAMES.has(entry)) return true;
  return entry.endsWith('.*') && FAMILIES.has(entry.slice(0, -2));
}

/** Whether an event of `type` is covered by a webhook's subscription list. */
export function subscriptionMatches(subscriptions: readonly string[], type: string): boolean {
  const family = type.split('.')[0];
  return subscriptions.some((entry) => entry === '*' || entry === type || entry === `${family}.*`);
}
