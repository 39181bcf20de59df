import type { Actor } from '@taskgate/client';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { accessTokensQuery } from '../features/access-tokens/api';
import { agentsQuery } from '../features/agents/api';
import { taskgate } from './api';

export const membersQuery = (workspaceId: string) =>
  queryOptions({ queryKey: ['members', workspaceId], queryFn: () => taskgate.members.list(workspaceId).all() });

export const ACTOR_KIND_LABELS: Record<Actor['type'], string> = { user: 'person', agent: 'agent', workspace_token: 'access token' };
const UNKNOWN: Record<Actor['type'], string> = {
  user: 'a former member',
  agent: 'a deleted agent',
  workspace_token: 'a deleted access token',
};

/** The workspace's members and agents, and who an actor (a change's author) is by name. */
export function usePeople(workspaceId: string) {
  const members = useQuery(membersQuery(workspaceId));
  const agents = useQuery(agentsQuery(workspaceId));
  const tokens = useQuery(accessTokensQuery(workspaceId));
  return useMemo(() => {
    const names = new Map<string, string>();
    for (const m of members.data ?? []) names.set(m.userId, m.name);
    for (const a of agents.data ?? []) names.set(a.id, a.name);
    for (const t of tokens.data ?? []) names.set(t.id, t.label);
    return {
      members: members.data ?? [],
      agents: agents.data ?? [],
      /** The actor's name, or null while (or when) it is not known. */
      knownName: (actor: Actor): string | null => names.get(actor.id) ?? null,
      actorName: (actor: Actor): string => names.get(actor.id) ?? UNKNOWN[actor.type],
    };
  }, [members.data, agents.data, tokens.data]);
}
