import type { AccessTokenChanges, NewAccessToken } from '@taskgate/client';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { taskgate } from '../../lib/api';

export const accessTokensQuery = (workspaceId: string) =>
  queryOptions({ queryKey: ['access-tokens', workspaceId], queryFn: () => taskgate.accessTokens.list(workspaceId, { limit: 200 }).all() });

function useAccessTokenMutation<Args extends unknown[], Result>(workspaceId: string, call: (...args: Args) => Promise<Result>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (args: Args) => call(...args),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['access-tokens', workspaceId] }),
  });
}

export const useCreateAccessToken = (workspaceId: string) =>
  useAccessTokenMutation(workspaceId, (body: NewAccessToken) => taskgate.accessTokens.create(workspaceId, body));
export const useUpdateAccessToken = (workspaceId: string) =>
  useAccessTokenMutation(workspaceId, (tokenId: string, body: AccessTokenChanges) =>
    taskgate.accessTokens.update(workspaceId, tokenId, body),
  );
export const useDeleteAccessToken = (workspaceId: string) =>
  useAccessTokenMutation(workspaceId, (tokenId: string) => taskgate.accessTokens.delete(workspaceId, tokenId));
