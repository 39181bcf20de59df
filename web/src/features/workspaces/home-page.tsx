import { useQuery } from '@tanstack/react-query';
import { Navigate } from '@tanstack/react-router';
import { ErrorMessage } from '../../components/error-message';
import { lastWorkspace, workspacesQuery } from './api';
import { CreateWorkspaceForm } from './create-workspace-dialog';

/** `/`: the last workspace used, the first one, or — for a new account — a guide to creating one. */
export function HomePage() {
  const { data: workspaces, error, isPending } = useQuery(workspacesQuery);
  if (isPending) return <p className="text-sm text-muted-foreground">Loading your workspaces…</p>;
  if (error) return <ErrorMessage error={error} />;
  const remembered = workspaces.find((w) => w.id === lastWorkspace.get());
  const target = remembered ?? workspaces[0];
  if (target) return <Navigate to="/workspace/$workspaceId" params={{ workspaceId: target.id }} replace />;
  return (
    <section className="mx-auto grid max-w-lg gap-4 py-6">
      <h1 className="text-2xl font-semibold">Welcome to Taskgate</h1>
      <p className="text-sm text-muted-foreground">
        Everything happens in a workspace: its projects and tasks, its members, and the tokens that let scripts, CI pipelines and agents
        work for you. Create your first one to begin.
      </p>
      <div className="rounded-lg border p-5">
        <CreateWorkspaceForm />
      </div>
    </section>
  );
}
