import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { taskgate } from '../../lib/api';

export const agentsQuery = (workspaceId: string) =>
  queryOptions({ queryKey: ['agents', workspaceId], queryFn: () => taskgate.agents.list(workspaceId, { limit: 200 }).all() });

/** How many in-progress tasks each agent has claimed. */
export const claimedTasksQuery = (workspaceId: string) =>
  queryOptions({
    queryKey: ['agents', workspaceId, 'claims'],
    queryFn: async () => {
      const counts = new Map<string, number>();
      for await (const task of taskgate.tasks.list({ workspaceId, status: 'in_progress', limit: 200 })) {
        if (task.claimedBy?.type === 'agent') counts.set(task.claimedBy.id, (counts.get(task.claimedBy.id) ?? 0) + 1);
      }
      return counts;
    },
  });

export function useAgentMutation<Args extends unknown[], Result>(workspaceId: string, call: (...args: Args) => Promise<Result>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (args: Args) => call(...args),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['agents', workspaceId] }),
  });
}
