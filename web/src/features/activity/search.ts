import type { Actor } from '@taskgate/client';

export const ACTOR_KINDS: ReadonlyArray<{ value: Actor['type']; label: string }> = [
  { value: 'user', label: 'People' },
  { value: 'workspace_token', label: 'Access tokens' },
  { value: 'agent', label: 'Agents' },
];

export interface ActivitySearch {
  /** An event type such as task.created. */
  type?: string;
  /** A kind of actor (`agent`), or one actor (`agent:agt_…`). */
  actor?: string;
}

const TYPE = /^[a-z_]{1,40}\.[a-z_]{1,40}$/;
const ACTOR = /^(user|agent|workspace_token)(:[A-Za-z0-9_]{1,64})?$/;

export function activitySearch(search: Record<string, unknown>): ActivitySearch {
  return {
    ...(typeof search.type === 'string' && TYPE.test(search.type) ? { type: search.type } : {}),
    ...(typeof search.actor === 'string' && ACTOR.test(search.actor) ? { actor: search.actor } : {}),
  };
}

/** Whether an event's actor matches the filter. */
export function actorMatches(actor: Actor, filter: string | undefined): boolean {
  if (!filter) return true;
  const [kind, id] = filter.split(':');
  return actor.type === kind && (id === undefined || actor.id === id);
}
