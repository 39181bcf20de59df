import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { taskgate } from '../../lib/api';

export const workspacesQuery = queryOptions({
  queryKey: ['workspaces'],
  queryFn: () => taskgate.workspaces.list().all(),
});

export function useCreateWorkspace() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => taskgate.workspaces.create({ name }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: workspacesQuery.queryKey }),
  });
}

const LAST_WORKSPACE = 'taskgate.lastWorkspace';

/** The workspace this browser used last, so the settings pages and `/` know where to go back to. */
export const lastWorkspace = {
  get: (): string | null => localStorage.getItem(LAST_WORKSPACE),
  set: (id: string) => localStorage.setItem(LAST_WORKSPACE, id),
};
