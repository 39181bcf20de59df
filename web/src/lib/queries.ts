import { queryOptions } from '@tanstack/react-query';
import { taskgate } from './api';

/** One workspace, with the caller's role in it. */
export const workspaceQuery = (workspaceId: string) =>
  queryOptions({ queryKey: ['workspaces', workspaceId], queryFn: () => taskgate.workspaces.get(workspaceId) });

/** The caller's role in a workspace: which actions a page offers (the server decides the rest). */
export const callerRoleQuery = (workspaceId: string) => queryOptions({ ...workspaceQuery(workspaceId), select: (w) => w.role });
