import type { NewToken, Token, TokenChanges } from '@taskgate/client';
import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { taskgate } from '../../lib/api';

export type TokenStatus = Token['status'];
export interface TokenFilters {
  status?: TokenStatus;
  q?: string;
}

export const tokensQuery = (filters: TokenFilters) =>
  queryOptions({
    queryKey: ['tokens', filters],
    queryFn: () => taskgate.tokens.list({ ...filters, limit: 200 }).all(),
    placeholderData: keepPreviousData,
  });

export const permissionCatalogueQuery = queryOptions({
  queryKey: ['tokens', 'permissions'],
  queryFn: () => taskgate.tokens.permissions(),
  staleTime: Infinity,
});

/** Every project you can see, by workspace: what a token may be limited to. */
export const projectChoicesQuery = queryOptions({
  queryKey: ['tokens', 'project-choices'],
  queryFn: async () => {
    const workspaces = await taskgate.workspaces.list().all();
    return Promise.all(
      workspaces.map(async (workspace) => ({
        workspace,
        projects: await taskgate.projects.list({ workspaceId: workspace.id }).all(),
      })),
    );
  },
});

export const auditLogQuery = queryOptions({
  queryKey: ['audit-log'],
  queryFn: () => taskgate.auditLog.list({ limit: 200 }).all(),
});

function useTokenMutation<Args extends unknown[], Result>(call: (...args: Args) => Promise<Result>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (args: Args) => call(...args),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['tokens'] }),
  });
}

export const useCreateToken = () => useTokenMutation((body: NewToken) => taskgate.tokens.create(body));
export const useUpdateToken = () => useTokenMutation((id: string, body: TokenChanges) => taskgate.tokens.update(id, body));
export const useRotateToken = () => useTokenMutation((id: string, graceSeconds: number) => taskgate.tokens.rotate(id, { graceSeconds }));
export const useRevokeToken = () => useTokenMutation((id: string) => taskgate.tokens.revoke(id));
export const useRevokeAllTokens = () => useTokenMutation(() => taskgate.tokens.revokeAll());
