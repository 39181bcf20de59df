import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { answerOf, taskgate } from '../../lib/api';

/** Which token a details view is about: one of yours, a workspace's, or an agent's. */
export type TokenRef =
  | { kind: 'personal'; id: string }
  | { kind: 'workspace'; workspaceId: string; id: string }
  | { kind: 'agent'; workspaceId: string; id: string };

/** Where its permissions are explained: a personal token needs a workspace; a project is optional. */
export interface PermissionsScope {
  workspaceId: string;
  projectId?: string;
}

const only = (projectId: string | undefined) => (projectId ? { projectId } : {});

function explain(ref: TokenRef, { workspaceId, projectId }: PermissionsScope) {
  const { api } = taskgate;
  if (ref.kind === 'personal')
    return api.GET('/api/v1/tokens/{id}/permissions', { params: { path: { id: ref.id }, query: { workspaceId, ...only(projectId) } } });
  if (ref.kind === 'workspace')
    return api.GET('/api/v1/workspaces/{id}/access-tokens/{tokenId}/permissions', {
      params: { path: { id: ref.workspaceId, tokenId: ref.id }, query: only(projectId) },
    });
  return api.GET('/api/v1/agents/{id}/permissions', { params: { path: { id: ref.id }, query: only(projectId) } });
}

/** Its effective permissions, layer by layer (the answer GET /me/permissions gives a caller). */
export const tokenPermissionsQuery = (ref: TokenRef, scope: PermissionsScope) =>
  queryOptions({ queryKey: ['token-details', ref, 'permissions', scope], queryFn: () => answerOf(explain(ref, scope)) });

function usage(ref: TokenRef) {
  const { api } = taskgate;
  if (ref.kind === 'personal') return api.GET('/api/v1/tokens/{id}/usage', { params: { path: { id: ref.id } } });
  if (ref.kind === 'workspace')
    return api.GET('/api/v1/workspaces/{id}/access-tokens/{tokenId}/usage', { params: { path: { id: ref.workspaceId, tokenId: ref.id } } });
  return api.GET('/api/v1/agents/{id}/usage', { params: { path: { id: ref.id } } });
}

/** What it used of its grant in the last 30 days. */
export const tokenUsageQuery = (ref: TokenRef) =>
  queryOptions({ queryKey: ['token-details', ref, 'usage'], queryFn: () => answerOf(usage(ref)) });

function narrow(ref: TokenRef, dryRun: boolean) {
  const { api } = taskgate;
  const body = { dryRun };
  if (ref.kind === 'personal') return api.POST('/api/v1/tokens/{id}/narrow', { params: { path: { id: ref.id } }, body });
  if (ref.kind === 'workspace')
    return api.POST('/api/v1/workspaces/{id}/access-tokens/{tokenId}/narrow', {
      params: { path: { id: ref.workspaceId, tokenId: ref.id } },
      body,
    });
  return api.POST('/api/v1/agents/{id}/narrow', { params: { path: { id: ref.id } }, body });
}

/** The list a token kind is shown in, refreshed once it changes. */
const listKey = (ref: TokenRef) =>
  ref.kind === 'personal' ? ['tokens'] : ref.kind === 'workspace' ? ['access-tokens', ref.workspaceId] : ['agents', ref.workspaceId];

/** "Narrow to what it used": `dryRun` previews, otherwise it is applied and the token's views refresh. */
export function useNarrowToken(ref: TokenRef) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ dryRun }: { dryRun: boolean }) => answerOf(narrow(ref, dryRun)),
    onSuccess: async (result) => {
      if (!result.applied) return;
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: listKey(ref) }),
        queryClient.invalidateQueries({ queryKey: ['token-details', ref] }),
      ]);
    },
  });
}
