import type { Project, Space } from '@taskgate/client';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { NameDialog } from '../../components/name-dialog';
import { ConfirmDialog } from '../../components/ui/alert-dialog';
import { Button } from '../../components/ui/button';
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from '../../components/ui/dropdown-menu';
import { taskgate } from '../../lib/api';
import { cn } from '../../lib/cn';
import { callerRoleQuery } from '../../lib/queries';
import { atLeast } from '../../lib/roles';
import { projectsQuery, spacesQuery, useStructureMutation } from './api';

type Action =
  | { kind: 'new-space' }
  | { kind: 'rename-space' | 'delete-space'; space: Space }
  | { kind: 'new-project'; space: Space }
  | { kind: 'rename-project'; project: Project }
  | null;

function ActionsMenu({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" className="h-7 w-7 shrink-0" aria-label={label}>
          ⋯
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent>{children}</DropdownMenuContent>
    </DropdownMenu>
  );
}

/** The workspace's spaces with their projects: where every project page is reached from. */
export function ProjectSidebar({ workspaceId, currentProjectId }: { workspaceId: string; currentProjectId?: string }) {
  const spaces = useQuery(spacesQuery(workspaceId));
  const projects = useQuery(projectsQuery(workspaceId));
  const role = useQuery(callerRoleQuery(workspaceId));
  const canManage = atLeast(role.data, 'workspace_manager');
  const [showArchived, setShowArchived] = useState(false);
  const [action, setAction] = useState<Action>(null);
  const createSpace = useStructureMutation(workspaceId, (name: string) => taskgate.spaces.create(workspaceId, { name }));
  const renameSpace = useStructureMutation(workspaceId, (id: string, name: string) => taskgate.spaces.update(id, { name }));
  const deleteSpace = useStructureMutation(workspaceId, (id: string) => taskgate.spaces.delete(id));
  const createProject = useStructureMutation(workspaceId, (spaceId: string, name: string) => taskgate.projects.create({ spaceId, name }));
  const updateProject = useStructureMutation(workspaceId, (id: string, changes: { name?: string; archived?: boolean }) =>
    taskgate.projects.update(id, changes),
  );
  const close = () => {
    setAction(null);
    for (const mutation of [createSpace, renameSpace, deleteSpace, createProject, updateProject]) mutation.reset();
  };
  const archivedCount = projects.data?.filter((p) => p.archived).length ?? 0;

  return (
    <nav aria-label="Spaces and projects" className="grid content-start gap-3 md:border-r md:pr-4">
      <div className="flex items-center justify-between gap-2">
        <h2 className="text-sm font-semibold">Spaces</h2>
        {canManage && (
          <Button size="sm" variant="outline" onClick={() => setAction({ kind: 'new-space' })}>
            New space
          </Button>
        )}
      </div>
      <ErrorMessage error={spaces.error ?? projects.error ?? updateProject.error} />
      {spaces.isPending ? (
        <p className="text-sm text-muted-foreground">Loading…</p>
      ) : spaces.data?.length === 0 ? (
        <p className="text-sm text-muted-foreground">No spaces yet.{canManage && ' A space groups projects: create one to begin.'}</p>
      ) : (
        <ul className="grid gap-3">
          {spaces.data?.map((space) => {
            const inSpace = (projects.data ?? []).filter((p) => p.spaceId === space.id && (showArchived || !p.archived));
            return (
              <li key={space.id} data-space-id={space.id}>
                <div className="flex items-center justify-between gap-1">
                  <span className="truncate text-xs font-semibold uppercase tracking-wide text-muted-foreground">{space.name}</span>
                  {canManage && (
                    <ActionsMenu label={`Actions for space ${space.name}`}>
                      <DropdownMenuItem onSelect={() => setAction({ kind: 'new-project', space })}>New project…</DropdownMenuItem>
                      <DropdownMenuItem onSelect={() => setAction({ kind: 'rename-space', space })}>Rename…</DropdownMenuItem>
                      <DropdownMenuItem destructive onSelect={() => setAction({ kind: 'delete-space', space })}>
                        Delete…
                      </DropdownMenuItem>
                    </ActionsMenu>
                  )}
                </div>
                <ul className="mt-1 grid gap-0.5">
                  {inSpace.length === 0 && <li className="px-2 text-xs text-muted-foreground">No projects</li>}
                  {inSpace.map((project) => (
                    <li key={project.id} className="flex items-center gap-1" data-project-id={project.id}>
                      <Link
                        to="/workspace/$workspaceId/projects/$projectId"
                        params={{ workspaceId, projectId: project.id }}
                        className={cn(
                          'min-w-0 flex-1 truncate rounded-md px-2 py-1 text-sm hover:bg-accent',
                          project.id === currentProjectId && 'bg-accent font-medium',
                          project.archived && 'italic text-muted-foreground',
                        )}
                      >
                        {project.name}
                        {project.archived && <span className="sr-only"> (archived)</span>}
                      </Link>
                      {canManage && (
                        <ActionsMenu label={`Actions for project ${project.name}`}>
                          <DropdownMenuItem onSelect={() => setAction({ kind: 'rename-project', project })}>Rename…</DropdownMenuItem>
                          <DropdownMenuItem onSelect={() => updateProject.mutate([project.id, { archived: !project.archived }])}>
                            {project.archived ? 'Restore' : 'Archive'}
                          </DropdownMenuItem>
                        </ActionsMenu>
                      )}
                    </li>
                  ))}
                </ul>
              </li>
            );
          })}
        </ul>
      )}
      {archivedCount > 0 && (
        <label className="flex items-center gap-2 text-xs text-muted-foreground">
          <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} />
          Show {archivedCount} archived project{archivedCount === 1 ? '' : 's'}
        </label>
      )}

      {action?.kind === 'new-space' && (
        <NameDialog
          title="New space"
          description="A space groups related projects."
          label="Space name"
          submitLabel="Create space"
          maxLength={200}
          pending={createSpace.isPending}
          error={createSpace.error}
          onClose={close}
          onSubmit={async (name) => {
            await createSpace.mutateAsync([name]);
            close();
          }}
        />
      )}
      {action?.kind === 'rename-space' && (
        <NameDialog
          title={`Rename “${action.space.name}”`}
          label="Space name"
          initial={action.space.name}
          submitLabel="Rename"
          maxLength={200}
          pending={renameSpace.isPending}
          error={renameSpace.error}
          onClose={close}
          onSubmit={async (name) => {
            await renameSpace.mutateAsync([action.space.id, name]);
            close();
          }}
        />
      )}
      {action?.kind === 'new-project' && (
        <NameDialog
          title={`New project in “${action.space.name}”`}
          description="A project holds tasks."
          label="Project name"
          submitLabel="Create project"
          maxLength={200}
          pending={createProject.isPending}
          error={createProject.error}
          onClose={close}
          onSubmit={async (name) => {
            await createProject.mutateAsync([action.space.id, name]);
            close();
          }}
        />
      )}
      {action?.kind === 'rename-project' && (
        <NameDialog
          title={`Rename “${action.project.name}”`}
          label="Project name"
          initial={action.project.name}
          submitLabel="Rename"
          maxLength={200}
          pending={updateProject.isPending}
          error={updateProject.error}
          onClose={close}
          onSubmit={async (name) => {
            await updateProject.mutateAsync([action.project.id, { name }]);
            close();
          }}
        />
      )}
      <ConfirmDialog
        open={action?.kind === 'delete-space'}
        onOpenChange={(open) => !open && close()}
        title={`Delete “${action?.kind === 'delete-space' ? action.space.name : ''}”?`}
        description="Only an empty space can be deleted: move or delete its projects first."
        confirmLabel="Delete space"
        pending={deleteSpace.isPending}
        onConfirm={async () => {
          if (action?.kind === 'delete-space') await deleteSpace.mutateAsync([action.space.id]);
          close();
        }}
      >
        <ErrorMessage error={deleteSpace.error} />
      </ConfirmDialog>
    </nav>
  );
}
