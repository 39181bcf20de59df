import type { Task, TaskChanges } from '@taskgate/client';
import { useRef } from 'react';
import { keepPreviousData, queryOptions, useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { taskgate } from '../../lib/api';
import type { TaskFilters } from './search';

export const statusesQuery = (workspaceId: string) =>
  queryOptions({ queryKey: ['task-statuses', workspaceId], queryFn: async () => (await taskgate.taskStatuses.list(workspaceId)).items });

export const labelsQuery = (workspaceId: string) =>
  queryOptions({ queryKey: ['labels', workspaceId], queryFn: () => taskgate.labels.list(workspaceId, { limit: 200 }).all() });

/** Every task cached for a workspace starts with this key. */
export const workspaceTasksKey = (workspaceId: string) => ['tasks', workspaceId] as const;

export const projectTasksQuery = (workspaceId: string, projectId: string, filters: TaskFilters) =>
  queryOptions({
    queryKey: [...workspaceTasksKey(workspaceId), projectId, filters],
    queryFn: () => taskgate.tasks.list({ projectId, ...filters, limit: 200 }).all(),
    placeholderData: keepPreviousData,
  });

export const taskQuery = (taskId: string) => queryOptions({ queryKey: ['task', taskId], queryFn: () => taskgate.tasks.get(taskId) });

/** Puts a task's latest version into every cached list and its own entry (a newer version never gives way to an older one). */
export function storeTask(queryClient: QueryClient, task: Task): void {
  queryClient.setQueriesData<Task[]>({ queryKey: workspaceTasksKey(task.workspaceId) }, (tasks) =>
    tasks?.map((t) => (t.id === task.id && t.version <= task.version ? task : t)),
  );
  const cached = queryClient.getQueryData<Task>(['task', task.id]);
  if (!cached || cached.version <= task.version) queryClient.setQueryData(['task', task.id], task);
}

/** Refetches the workspace's task lists: a change may move a task into or out of a filtered view. */
export const refreshTasks = (queryClient: QueryClient, workspaceId: string) =>
  queryClient.invalidateQueries({ queryKey: workspaceTasksKey(workspaceId) });

/** A change to a task: the answer is stored at once, then the lists are fetched again. */
// biome-ignore lint/suspicious/noConfusingVoidType: a delete resolves to void, and Promise<void> is no Promise<undefined>.
export function useTaskMutation<Args extends unknown[], Result extends Task | void>(
  workspaceId: string,
  call: (...args: Args) => Promise<Result>,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (args: Args) => call(...args),
    onSuccess: (task) => {
      if (task) storeTask(queryClient, task);
    },
    onSettled: () => refreshTasks(queryClient, workspaceId),
  });
}

/**
 * Moves a task to another status at once on screen (optimistic), guarded by the version it was
 * seen at; a refusal puts it back and says why.
 */
export function useMoveTask(workspaceId: string) {
  const queryClient = useQueryClient();
  // The versions this page's own moves produced: a card moved twice in a row is guarded by the version
  // its first move left, not the one it was first seen at.
  const ownVersions = useRef(new Map<string, number>());
  return useMutation({
    // One move at a time, in order, so each is based on the version the one before it left.
    scope: { id: `task-moves-${workspaceId}` },
    mutationFn: ({ task, status }: { task: Task; status: string }) =>
      taskgate.tasks.update(task.id, { status } satisfies TaskChanges, {
        ifMatch: Math.max(task.version, ownVersions.current.get(task.id) ?? 0),
      }),
    onMutate: async ({ task, status }) => {
      await queryClient.cancelQueries({ queryKey: workspaceTasksKey(workspaceId) });
      const before = queryClient.getQueriesData<Task[]>({ queryKey: workspaceTasksKey(workspaceId) });
      queryClient.setQueriesData<Task[]>({ queryKey: workspaceTasksKey(workspaceId) }, (tasks) =>
        tasks?.map((t) => (t.id === task.id ? { ...t, status } : t)),
      );
      return { before };
    },
    onError: (_error, _vars, context) => {
      for (const [key, data] of context?.before ?? []) queryClient.setQueryData(key, data);
    },
    onSuccess: (task) => {
      ownVersions.current.set(task.id, task.version);
      storeTask(queryClient, task);
    },
    onSettled: () => refreshTasks(queryClient, workspaceId),
  });
}
