import type { Task } from '@taskgate/client';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { useCallback, useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { PageHeader } from '../../components/page-header';
import { Button } from '../../components/ui/button';
import { cn } from '../../lib/cn';
import { projectQuery } from '../projects/api';
import { WithProjectSidebar } from '../projects/workspace-page';
import { projectTasksQuery, useMoveTask } from './api';
import { CreateTaskDialog } from './create-task-dialog';
import { useLiveWorkspace } from './live';
import { taskFilters, taskSearch, type Sort } from './search';
import { TaskBoard } from './task-board';
import { TaskDialog } from './task-dialog';
import { TaskFilters } from './task-filters';
import { TaskList } from './task-list';
import { useWorkspaceData } from './workspace-data';

const tab = 'rounded-md px-3 py-1 text-sm';

/** `/workspace/:id/projects/:projectId`: the project's tasks, as a board or a list, live. */
export function ProjectPage() {
  const { workspaceId, projectId } = useParams({ from: '/signed-in/workspace/$workspaceId/projects/$projectId' });
  const search = useSearch({ from: '/signed-in/workspace/$workspaceId/projects/$projectId' });
  const navigate = useNavigate({ from: '/workspace/$workspaceId/projects/$projectId' });
  const project = useQuery(projectQuery(projectId));
  const data = useWorkspaceData(workspaceId);
  const tasks = useQuery(projectTasksQuery(workspaceId, projectId, taskFilters(search)));
  const move = useMoveTask(workspaceId);
  const [creating, setCreating] = useState(false);
  useLiveWorkspace(workspaceId);

  const open = useCallback((task: Task) => navigate({ search: (prev) => ({ ...prev, task: task.id }) }), [navigate]);
  const sortBy = useCallback((sort: Sort | undefined) => navigate({ search: (prev) => taskSearch({ ...prev, sort }) }), [navigate]);
  const archived = project.data?.archived ?? false;
  const canCreate = data.can.create && !archived;
  const list = search.view === 'list';

  return (
    <WithProjectSidebar workspaceId={workspaceId} projectId={projectId}>
      <PageHeader
        title={project.data?.name ?? 'Project'}
        description={
          archived
            ? 'This project is archived: its tasks cannot change until it is restored.'
            : 'Its tasks: drag a card to change its status, or open it to edit.'
        }
        actions={
          <>
            <div role="group" aria-label="View" className="flex rounded-md border p-0.5">
              <Link
                from="/workspace/$workspaceId/projects/$projectId"
                search={(prev) => ({ ...prev, view: undefined })}
                className={cn(tab, !list && 'bg-accent font-medium')}
                aria-current={!list ? 'page' : undefined}
              >
                Board
              </Link>
              <Link
                from="/workspace/$workspaceId/projects/$projectId"
                search={(prev) => ({ ...prev, view: 'list' as const })}
                className={cn(tab, list && 'bg-accent font-medium')}
                aria-current={list ? 'page' : undefined}
              >
                List
              </Link>
            </div>
            {canCreate && <Button onClick={() => setCreating(true)}>New task</Button>}
          </>
        }
      />
      <TaskFilters search={search} data={data} />
      <ErrorMessage error={project.error ?? data.error ?? tasks.error ?? move.error} />
      {tasks.isPending ? (
        <p className="text-sm text-muted-foreground">Loading tasks…</p>
      ) : list ? (
        tasks.data?.length === 0 ? (
          <div className="rounded-md border border-dashed p-8 text-center text-sm text-muted-foreground">No task matches.</div>
        ) : (
          <TaskList tasks={tasks.data ?? []} data={data} sort={search.sort} onSort={sortBy} onOpen={open} />
        )
      ) : (
        <TaskBoard
          tasks={tasks.data ?? []}
          data={{ ...data, can: { ...data.can, edit: data.can.edit && !archived } }}
          onOpen={open}
          onMove={(task, status) => move.mutateAsync({ task, status })}
        />
      )}
      {creating && <CreateTaskDialog data={data} projectId={projectId} onClose={() => setCreating(false)} />}
      {search.task && (
        <TaskDialog
          key={search.task}
          taskId={search.task}
          data={data}
          onClose={() => navigate({ search: (prev) => ({ ...prev, task: undefined }) })}
        />
      )}
    </WithProjectSidebar>
  );
}
