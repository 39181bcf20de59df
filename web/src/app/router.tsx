import type { QueryClient } from '@tanstack/react-query';
import { createRootRouteWithContext, createRoute, createRouter, lazyRouteComponent, Outlet, redirect } from '@tanstack/react-router';
import { LoginPage } from '../features/auth/login-page';
import { RegisterPage } from '../features/auth/register-page';
import { sessionQuery } from '../features/auth/session';
import { activitySearch } from '../features/activity/search';
import { taskSearch } from '../features/tasks/search';
import { inventorySearch } from '../features/token-inventory/search';
import { auditLogSearch, tokensSearch } from '../features/tokens/search';
import { HomePage } from '../features/workspaces/home-page';
import { lastWorkspace } from '../features/workspaces/api';
import { AppShell, NotFoundPage } from './shell';

// Signed-in pages load when first visited: a visitor on the sign-in page downloads none of them.
const TokensPage = lazyRouteComponent(() => import('../features/tokens/tokens-page'), 'TokensPage');
const AuditLogPage = lazyRouteComponent(() => import('../features/tokens/audit-log-page'), 'AuditLogPage');
const SessionsPage = lazyRouteComponent(() => import('../features/sessions/sessions-page'), 'SessionsPage');
const AccessTokensPage = lazyRouteComponent(() => import('../features/access-tokens/access-tokens-page'), 'AccessTokensPage');
const AgentsPage = lazyRouteComponent(() => import('../features/agents/agents-page'), 'AgentsPage');
const WorkspacePage = lazyRouteComponent(() => import('../features/projects/workspace-page'), 'WorkspacePage');
const ProjectPage = lazyRouteComponent(() => import('../features/tasks/project-page'), 'ProjectPage');
const WebhooksPage = lazyRouteComponent(() => import('../features/webhooks/webhooks-page'), 'WebhooksPage');
const ActivityPage = lazyRouteComponent(() => import('../features/activity/activity-page'), 'ActivityPage');
const MembersPage = lazyRouteComponent(() => import('../features/members/members-page'), 'MembersPage');
const WorkspaceSettingsPage = lazyRouteComponent(() => import('../features/workspaces/settings-page'), 'WorkspaceSettingsPage');
const AdminPage = lazyRouteComponent(() => import('../features/admin/admin-page'), 'AdminPage');
const TokenInventoryPage = lazyRouteComponent(() => import('../features/token-inventory/token-inventory-page'), 'TokenInventoryPage');

interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: NotFoundPage,
});

const signedOutSearch = (search: Record<string, unknown>): { redirect?: string } =>
  typeof search.redirect === 'string' ? { redirect: search.redirect } : {};

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/login',
  validateSearch: signedOutSearch,
  // Someone already signed in has nothing to do here.
  beforeLoad: async ({ context }) => {
    if ((await context.queryClient.ensureQueryData(sessionQuery)).user) throw redirect({ to: '/' });
  },
  component: LoginPage,
});

const registerRoute = createRoute({ getParentRoute: () => rootRoute, path: '/register', component: RegisterPage });

/** Every page below needs a session: without one, sign in and come back. */
const signedInRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'signed-in',
  beforeLoad: async ({ context, location }) => {
    const session = await context.queryClient.ensureQueryData(sessionQuery);
    if (!session.user) throw redirect({ to: '/login', search: { redirect: location.href } });
  },
  component: AppShell,
});

const homeRoute = createRoute({ getParentRoute: () => signedInRoute, path: '/', component: HomePage });
const tokensRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/settings/tokens',
  validateSearch: tokensSearch,
  component: TokensPage,
});
const sessionsRoute = createRoute({ getParentRoute: () => signedInRoute, path: '/settings/sessions', component: SessionsPage });
const auditLogRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/settings/audit-log',
  validateSearch: auditLogSearch,
  component: AuditLogPage,
});

const workspaceRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/workspace/$workspaceId',
  beforeLoad: ({ params }) => lastWorkspace.set(params.workspaceId),
});
const workspaceIndexRoute = createRoute({ getParentRoute: () => workspaceRoute, path: '/', component: WorkspacePage });
const accessTokensRoute = createRoute({ getParentRoute: () => workspaceRoute, path: '/access-tokens', component: AccessTokensPage });
const agentsRoute = createRoute({ getParentRoute: () => workspaceRoute, path: '/agents', component: AgentsPage });
const projectRoute = createRoute({
  getParentRoute: () => workspaceRoute,
  path: '/projects/$projectId',
  validateSearch: taskSearch,
  component: ProjectPage,
});
const webhooksRoute = createRoute({ getParentRoute: () => workspaceRoute, path: '/webhooks', component: WebhooksPage });
const activityRoute = createRoute({
  getParentRoute: () => workspaceRoute,
  path: '/activity',
  validateSearch: activitySearch,
  component: ActivityPage,
});
const membersRoute = createRoute({ getParentRoute: () => workspaceRoute, path: '/members', component: MembersPage });
const workspaceSettingsRoute = createRoute({ getParentRoute: () => workspaceRoute, path: '/settings', component: WorkspaceSettingsPage });
const tokenInventoryRoute = createRoute({
  getParentRoute: () => workspaceRoute,
  path: '/token-inventory',
  validateSearch: inventorySearch,
  component: TokenInventoryPage,
});
const adminRoute = createRoute({ getParentRoute: () => signedInRoute, path: '/admin', component: AdminPage });

const routeTree = rootRoute.addChildren([
  loginRoute,
  registerRoute,
  signedInRoute.addChildren([
    homeRoute,
    tokensRoute,
    sessionsRoute,
    auditLogRoute,
    adminRoute,
    workspaceRoute.addChildren([
      workspaceIndexRoute,
      accessTokensRoute,
      agentsRoute,
      projectRoute,
      webhooksRoute,
      activityRoute,
      membersRoute,
      workspaceSettingsRoute,
      tokenInventoryRoute,
    ]),
  ]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({ routeTree, context: { queryClient }, defaultPreload: 'intent', scrollRestoration: true });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
