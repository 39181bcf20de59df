import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { taskgate } from '../../lib/api';
import type { InventoryKind, InventorySearch } from './search';

/** Every token that reaches the workspace, filtered as the URL says (every page: an inventory is rarely long). */
export const tokenInventoryQuery = (workspaceId: string, filters: InventorySearch) =>
  queryOptions({
    queryKey: ['token-inventory', workspaceId, filters],
    queryFn: () => taskgate.tokenInventory.list(workspaceId, { ...filters, limit: 200 }).all(),
  });

export function useRevokeFromInventory(workspaceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, id }: { kind: InventoryKind; id: string }) => taskgate.tokenInventory.revoke(workspaceId, kind, id),
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: ['token-inventory', workspaceId] });
      // The workspace's own token lists show the revocation too.
      await queryClient.invalidateQueries({ queryKey: ['access-tokens', workspaceId] });
    },
  });
}
