import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { ErrorMessage } from '../../components/error-message';
import { PageHeader } from '../../components/page-header';
import { workspaceQuery } from '../../lib/queries';
import { projectsQuery, spacesQuery } from './api';
import { ProjectSidebar } from './project-sidebar';
import { cn, FOCUS_RING } from '../../lib/cn';

/** The frame of the workspace's project pages: its spaces and projects beside the page. */
export function WithProjectSidebar({
  workspaceId,
  projectId,
  children,
}: {
  workspaceId: string;
  projectId?: string;
  children: React.ReactNode;
}) {
  return (
    <div className="grid gap-6 md:grid-cols-[15rem_minmax(0,1fr)]">
      <ProjectSidebar workspaceId={workspaceId} currentProjectId={projectId} />
      <div className="min-w-0">{children}</div>
    </div>
  );
}

/** `/workspace/:id`: the workspace's spaces and projects. */
export function WorkspacePage() {
  const { workspaceId } = useParams({ from: '/signed-in/workspace/$workspaceId/' });
  const workspace = useQuery(workspaceQuery(workspaceId));
  const spaces = useQuery(spacesQuery(workspaceId));
  const projects = useQuery(projectsQuery(workspaceId));
  const active = (projects.data ?? []).filter((p) => !p.archived);
  const spaceName = new Map((spaces.data ?? []).map((s) => [s.id, s.name]));
  return (
    <WithProjectSidebar workspaceId={workspaceId}>
      <PageHeader title={workspace.data?.name ?? 'Workspace'} description="Its projects, by space. Open one to see and move its tasks." />
      <ErrorMessage error={workspace.error} />
      {projects.isPending ? (
        <p className="text-sm text-muted-foreground">Loading projects…</p>
      ) : active.length === 0 ? (
        <div className="rounded-md border border-dashed p-8 text-center text-sm text-muted-foreground">
          No projects yet. Create a space, then a project in it, from the list of spaces.
        </div>
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {active.map((project) => (
            <li key={project.id}>
              <Link
                to="/workspace/$workspaceId/projects/$projectId"
                params={{ workspaceId, projectId: project.id }}
                className={cn('block rounded-lg border p-4 hover:bg-accent', FOCUS_RING)}
              >
                <span className="block font-medium">{project.name}</span>
                <span className="block text-xs text-muted-foreground">{spaceName.get(project.spaceId) ?? ''}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </WithProjectSidebar>
  );
}
