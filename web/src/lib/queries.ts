import { queryOptions } from '@tanstack/react-query';
import { taskgate } from './api';

/** The caller's role in a workspace: which actions a page offers (the server decides the rest). */
export const callerRoleQuery = (workspaceId: string) =>
  queryOptions({ queryKey: ['workspaces', workspaceId], queryFn: () => taskgate.workspaces.get(workspaceId), select: (w) => w.role });
