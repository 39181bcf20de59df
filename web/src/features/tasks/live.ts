import type { Event, Task } from '@taskgate/client';
import { useQueryClient } from '@tanstack/react-query';
import { useLiveEvents } from '../../lib/live-events';
import { refreshTasks, storeTask, workspaceTasksKey } from './api';

/** What each kind of resource's events make stale, besides tasks (handled on their own). */
const STALE_BY_RESOURCE: Partial<Record<Event['resourceType'], (workspaceId: string) => unknown[][]>> = {
  project: (w) => [['projects', w], ['project']],
  space: (w) => [['spaces', w]],
  label: (w) => [['labels', w]],
  member: (w) => [
    ['members', w],
    ['workspaces', w],
  ],
  agent: (w) => [['agents', w]],
  workspace: (w) => [
    ['task-statuses', w],
    ['workspaces', w],
  ],
};

/**
 * Keeps the workspace's cached tasks (and the lists around them) in step with what happens
 * elsewhere: a task an agent claims or completes moves on the board at once, named with its actor.
 */
export function useLiveWorkspace(workspaceId: string): void {
  const queryClient = useQueryClient();
  useLiveEvents(workspaceId, (event) => {
    if (event.resourceType === 'task') {
      if (event.type === 'task.deleted') {
        queryClient.setQueriesData<Task[]>({ queryKey: workspaceTasksKey(workspaceId) }, (tasks) =>
          tasks?.filter((t) => t.id !== event.resourceId),
        );
      } else {
        storeTask(queryClient, event.data as unknown as Task);
      }
      void refreshTasks(queryClient, workspaceId);
      return;
    }
    for (const queryKey of STALE_BY_RESOURCE[event.resourceType]?.(workspaceId) ?? []) void queryClient.invalidateQueries({ queryKey });
  });
}
