import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { taskgate } from '../../lib/api';

export const spacesQuery = (workspaceId: string) =>
  queryOptions({ queryKey: ['spaces', workspaceId], queryFn: () => taskgate.spaces.list(workspaceId, { limit: 200 }).all() });

/** Every project of the workspace, archived ones included (the sidebar hides them unless asked). */
export const projectsQuery = (workspaceId: string) =>
  queryOptions({
    queryKey: ['projects', workspaceId],
    queryFn: () => taskgate.projects.list({ workspaceId, includeArchived: true, limit: 200 }).all(),
  });

export const projectQuery = (projectId: string) =>
  queryOptions({ queryKey: ['project', projectId], queryFn: () => taskgate.projects.get(projectId) });

/** A change to the workspace's spaces or projects: both lists (and an open project) are fetched again. */
export function useStructureMutation<Args extends unknown[], Result>(workspaceId: string, call: (...args: Args) => Promise<Result>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (args: Args) => call(...args),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['spaces', workspaceId] }),
        queryClient.invalidateQueries({ queryKey: ['projects', workspaceId] }),
        queryClient.invalidateQueries({ queryKey: ['project'] }),
      ]),
  });
}
