import { useQuery } from '@tanstack/react-query';
import { Link, Outlet, useParams, useRouterState } from '@tanstack/react-router';
import { Button } from '../components/ui/button';
import { sessionQuery, useSignOut } from '../features/auth/session';
import { MyInvitations } from '../features/members/my-invitations';
import { ExpiringTokensBanner } from '../features/tokens/expiring-tokens-banner';
import { lastWorkspace, workspacesQuery } from '../features/workspaces/api';
import { WorkspaceSwitcher } from '../features/workspaces/workspace-switcher';

/** The pages of a workspace: switching workspaces keeps the same one. */
const WORKSPACE_PAGES = ['', '/activity', '/members', '/webhooks', '/access-tokens', '/agents', '/settings'] as const;
export type WorkspacePage = (typeof WORKSPACE_PAGES)[number];

const navLink = 'rounded-md px-2 py-1 text-sm text-muted-foreground hover:bg-accent hover:text-foreground';
const activeLink = { className: 'bg-accent text-foreground font-medium' };

/** The frame of every signed-in page: the workspace switcher, the navigation, and signing out. */
export function AppShell() {
  const { data: session } = useQuery(sessionQuery);
  const signOut = useSignOut();
  const params = useParams({ strict: false }) as { workspaceId?: string };
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const { data: workspaces } = useQuery(workspacesQuery);
  // On the settings pages: the workspace used last in this browser, else the first one.
  const remembered = workspaces?.find((w) => w.id === lastWorkspace.get());
  const workspaceId = params.workspaceId ?? remembered?.id ?? workspaces?.[0]?.id ?? null;
  const page = WORKSPACE_PAGES.find((p) => p !== '' && pathname.endsWith(p)) ?? '';
  return (
    <div className="min-h-screen">
      <header className="border-b">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
          <Link to="/" className="flex items-center gap-2 font-semibold">
            <img src="/favicon.svg" alt="" className="h-6 w-6" />
            Taskgate
          </Link>
          <WorkspaceSwitcher currentId={workspaceId} page={page} />
          <nav aria-label="Main" className="flex flex-wrap items-center gap-1">
            <Link to="/settings/tokens" className={navLink} activeProps={activeLink}>
              Personal tokens
            </Link>
            <Link to="/settings/sessions" className={navLink} activeProps={activeLink}>
              Sessions
            </Link>
            <Link to="/settings/audit-log" className={navLink} activeProps={activeLink}>
              Audit log
            </Link>
            {session?.user?.isAdmin && (
              <Link to="/admin" className={navLink} activeProps={activeLink}>
                Admin
              </Link>
            )}
          </nav>
          <div className="ml-auto flex items-center gap-2 text-sm">
            <span className="hidden text-muted-foreground sm:inline">{session?.user?.email}</span>
            <Button variant="outline" size="sm" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
              Sign out
            </Button>
          </div>
        </div>
        {workspaceId && (
          <nav aria-label="Workspace" className="mx-auto flex max-w-6xl flex-wrap items-center gap-1 px-4 pb-2">
            <Link
              to="/workspace/$workspaceId"
              params={{ workspaceId }}
              className={navLink}
              activeProps={activeLink}
              activeOptions={{ exact: true }}
            >
              Projects
            </Link>
            <Link to="/workspace/$workspaceId/activity" params={{ workspaceId }} className={navLink} activeProps={activeLink}>
              Activity
            </Link>
            <Link to="/workspace/$workspaceId/members" params={{ workspaceId }} className={navLink} activeProps={activeLink}>
              Members
            </Link>
            <Link to="/workspace/$workspaceId/webhooks" params={{ workspaceId }} className={navLink} activeProps={activeLink}>
              Webhooks
            </Link>
            <Link to="/workspace/$workspaceId/access-tokens" params={{ workspaceId }} className={navLink} activeProps={activeLink}>
              Access tokens
            </Link>
            <Link to="/workspace/$workspaceId/agents" params={{ workspaceId }} className={navLink} activeProps={activeLink}>
              Agents
            </Link>
            <Link to="/workspace/$workspaceId/settings" params={{ workspaceId }} className={navLink} activeProps={activeLink}>
              Settings
            </Link>
          </nav>
        )}
      </header>
      <MyInvitations />
      <ExpiringTokensBanner workspaceId={workspaceId} />
      <main className="mx-auto max-w-6xl px-4 py-6">
        <Outlet />
      </main>
    </div>
  );
}

export function NotFoundPage() {
  return (
    <main className="mx-auto max-w-md px-4 py-16 text-center">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="mt-2 text-sm text-muted-foreground">There is nothing at this address.</p>
      <Link to="/" className="mt-4 inline-block text-sm underline">
        Go home
      </Link>
    </main>
  );
}
