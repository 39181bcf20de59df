import type { IdKind } from '../../src/lib/ids.js';
import { addMember, createUser, createWorkspace, type TestUser, type TestWorkspace } from '../helpers/factories.js';
import type { TestApp } from '../helpers/harness.js';
import { createAgent, createLabel, createTask, ok, ownProject } from '../tasks/fixtures.js';
import { createWebhook } from '../webhooks/helpers.js';

/** One request an owner of the target may make. */
export interface Target {
  path: string;
  body?: unknown;
  /** The id an outsider must not learn exists: the suite asks again with a fresh id of this kind in its place. */
  hidden?: { id: string; kind: IdKind };
}

/**
 * What a signed-in user (or token) with no standing gets. `as-missing`: 404, the very body a missing id
 * gets. Otherwise the route answers by design (it acts on the caller's own account, or is for admins),
 * said in `why`.
 */
type OutsiderAnswer = 'as-missing' | { status: number; code?: string; why: string };

export interface RouteEntry {
  target(t: TestApp): Promise<Target>;
  outsider: OutsiderAnswer;
}

const OWN = "it acts on the caller's own account";
const OWN_ACCOUNT = (status: number): OutsiderAnswer => ({ status, why: OWN });
const ADMINS_ONLY: OutsiderAnswer = { status: 403, code: 'ADMIN_ONLY', why: 'instance administration: refused alike for any id' };
const MCP: OutsiderAnswer = {
  status: 401,
  code: 'TOKEN_REQUIRED',
  why:
    'MCP takes API tokens only (a session is the wrong kind of credential); it names no resource in its URL, and its tools ' +
    'refuse other workspaces as REST does (test/mcp)',
};

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'security-suite', version: '1' } },
};

const api = (path: string) => `/api/v1${path}`;

async function owned(t: TestApp): Promise<{ owner: TestUser; workspace: TestWorkspace }> {
  const owner = await createUser(t, { name: 'Owner' });
  return { owner, workspace: await createWorkspace(t, owner) };
}

/** A target under `/workspaces/{id}`: the workspace id is what an outsider must not learn. */
function inWorkspace(suffix: string, body?: unknown): RouteEntry {
  return {
    outsider: 'as-missing',
    async target(t) {
      const { workspace } = await owned(t);
      return { path: api(`/workspaces/${workspace.id}${suffix}`), body, hidden: { id: workspace.id, kind: 'workspace' } };
    },
  };
}

async function withTask(t: TestApp) {
  const tenant = await ownProject(t);
  return { ...tenant, task: await createTask(t, tenant.owner, tenant.project.id) };
}

/** A target under `/tasks/{id}`, `/labels/{id}`…: a resource of a fresh tenant, found by `make`. */
function byId(kind: IdKind, make: (t: TestApp) => Promise<{ id: string; path: string; body?: unknown }>): RouteEntry {
  return {
    outsider: 'as-missing',
    async target(t) {
      const { id, path, body } = await make(t);
      return { path: api(path), body, hidden: { id, kind } };
    },
  };
}

const task = (suffix: string, body?: unknown) =>
  byId('task', async (t) => {
    const { task } = await withTask(t);
    return { id: task.id, path: `/tasks/${task.id}${suffix}`, body };
  });

const space = (body?: unknown) =>
  byId('space', async (t) => {
    const { space } = await ownProject(t);
    return { id: space.id, path: `/spaces/${space.id}`, body };
  });

const project = (body?: unknown) =>
  byId('project', async (t) => {
    const { project } = await ownProject(t);
    return { id: project.id, path: `/projects/${project.id}`, body };
  });

const label = (body?: unknown) =>
  byId('label', async (t) => {
    const { owner, workspace } = await owned(t);
    const { id } = await createLabel(t, owner, workspace.id);
    return { id, path: `/labels/${id}`, body };
  });

const agent = (suffix: string, body?: unknown) =>
  byId('agent', async (t) => {
    const { owner, workspace } = await owned(t);
    const { id } = await createAgent(t, owner, workspace.id);
    return { id, path: `/agents/${id}${suffix}`, body };
  });

const webhook = (suffix: string, body?: unknown) =>
  byId('webhook', async (t) => {
    const { owner, workspace } = await owned(t);
    const { webhookId } = await createWebhook(t, owner, workspace.id, { url: 'http://127.0.0.1:9/hook', events: ['*'] });
    return { id: webhookId, path: `/webhooks/${webhookId}${suffix}`, body };
  });

const delivery = (suffix: string) =>
  byId('delivery', async (t) => {
    const { owner, workspace } = await owned(t);
    const { webhookId } = await createWebhook(t, owner, workspace.id, { url: 'http://127.0.0.1:9/hook', events: ['*'] });
    const { id } = ok(await t.request('POST', api(`/webhooks/${webhookId}/test`), { token: owner.token }), 202);
    return { id, path: `/webhook-deliveries/${id}${suffix}` };
  });

const personalToken = (suffix: string, body?: unknown) =>
  byId('personalToken', async (t) => {
    const { owner } = await owned(t);
    const { id } = ok(await t.request('POST', api('/tokens'), { token: owner.token, body: { name: 'target' } }), 201);
    return { id, path: `/tokens/${id}${suffix}`, body };
  });

/** A workspace with a second member: the member's user id is in the path. */
function member(body?: unknown): RouteEntry {
  return {
    outsider: 'as-missing',
    async target(t) {
      const { owner, workspace } = await owned(t);
      const someone = await createUser(t);
      await addMember(t, owner, workspace, someone, 'viewer');
      return { path: api(`/workspaces/${workspace.id}/members/${someone.id}`), body, hidden: { id: workspace.id, kind: 'workspace' } };
    },
  };
}

async function invitation(t: TestApp) {
  const { owner, workspace } = await owned(t);
  const invitee = await createUser(t);
  const invited = ok(
    await t.request('POST', api(`/workspaces/${workspace.id}/invitations`), {
      token: owner.token,
      body: { email: invitee.email, role: 'viewer' },
    }),
    201,
  );
  return { workspace, id: invited.id as string };
}

const answerInvitation = (action: string) =>
  byId('invitation', async (t) => {
    const { id } = await invitation(t);
    return { id, path: `/invitations/${id}/${action}` };
  });

/** An account-level route: any signed-in caller may use it on their own account. */
function ownAccount(path: string, status: number, body?: unknown): RouteEntry {
  return { outsider: OWN_ACCOUNT(status), target: async () => ({ path: api(path), body }) };
}

function adminAction(action: string): RouteEntry {
  return {
    outsider: ADMINS_ONLY,
    async target(t) {
      const { owner } = await owned(t);
      return { path: api(`/admin/users/${owner.id}/${action}`), hidden: { id: owner.id, kind: 'user' } };
    },
  };
}

/** A workspace access token of a fresh workspace: the workspace id is what an outsider must not learn. */
function accessToken(body?: unknown, suffix = ''): RouteEntry {
  return {
    outsider: 'as-missing',
    async target(t) {
      const { owner, workspace } = await owned(t);
      const created = ok(
        await t.request('POST', api(`/workspaces/${workspace.id}/access-tokens`), {
          token: owner.token,
          body: { label: 'target', scope: 'viewer' },
        }),
        201,
      );
      const path = api(`/workspaces/${workspace.id}/access-tokens/${created.id}${suffix}`);
      return { path, body, hidden: { id: workspace.id, kind: 'workspace' } };
    },
  };
}

/** A workspace access token, revoked through the token inventory: the workspace id is what an outsider must not learn. */
function inventoryToken(): RouteEntry {
  return {
    outsider: 'as-missing',
    async target(t) {
      const { owner, workspace } = await owned(t);
      const created = ok(
        await t.request('POST', api(`/workspaces/${workspace.id}/access-tokens`), {
          token: owner.token,
          body: { label: 'target', scope: 'viewer' },
        }),
        201,
      );
      const path = api(`/workspaces/${workspace.id}/token-inventory/workspace/${created.id}/revoke`);
      return { path, hidden: { id: workspace.id, kind: 'workspace' } };
    },
  };
}

const STATUSES = {
  statuses: [
    { key: 'todo', name: 'To do' },
    { key: 'in_progress', name: 'Doing' },
    { key: 'done', name: 'Done' },
  ],
};

/**
 * Every protected route the app registers, keyed `METHOD url` as Fastify registers it. A route without an
 * entry here fails the suite (every-route.test.ts), as does an entry naming no route.
 */
export const PROTECTED_ROUTES: Record<string, RouteEntry> = {
  // Accounts, sessions and instance administration.
  'GET /api/v1/me': ownAccount('/me', 200),
  'GET /api/v1/admin/users': { outsider: ADMINS_ONLY, target: async () => ({ path: api('/admin/users') }) },
  'GET /api/v1/admin/workspaces': { outsider: ADMINS_ONLY, target: async () => ({ path: api('/admin/workspaces') }) },
  'POST /api/v1/admin/users/:id/block': adminAction('block'),
  'POST /api/v1/admin/users/:id/unblock': adminAction('unblock'),
  'GET /api/v1/sessions': ownAccount('/sessions', 200),
  'DELETE /api/v1/sessions/:id': byId('session', async (t) => {
    const { owner } = await owned(t);
    const [session] = ok(await t.request('GET', api('/sessions'), { token: owner.token })).items as { id: string }[];
    return { id: session!.id, path: `/sessions/${session!.id}` };
  }),
  'POST /api/v1/sessions/revoke-others': ownAccount('/sessions/revoke-others', 200),
  'GET /api/v1/me/audit-log': ownAccount('/me/audit-log', 200),
  'GET /api/v1/me/permissions': {
    outsider: 'as-missing',
    async target(t) {
      const { workspace } = await owned(t);
      return { path: api(`/me/permissions?workspaceId=${workspace.id}`), hidden: { id: workspace.id, kind: 'workspace' } };
    },
  },

  // Workspaces, members and invitations.
  'POST /api/v1/workspaces': ownAccount('/workspaces', 201, { name: 'Mine' }),
  'GET /api/v1/workspaces': ownAccount('/workspaces', 200),
  'GET /api/v1/workspaces/:id': inWorkspace(''),
  'PATCH /api/v1/workspaces/:id': inWorkspace('', { name: 'Renamed' }),
  'DELETE /api/v1/workspaces/:id': inWorkspace(''),
  'GET /api/v1/workspaces/:id/members': inWorkspace('/members'),
  'PATCH /api/v1/workspaces/:id/members/:userId': member({ role: 'team_member' }),
  'DELETE /api/v1/workspaces/:id/members/:userId': member(),
  'POST /api/v1/workspaces/:id/invitations': inWorkspace('/invitations', { email: 'someone@example.test', role: 'viewer' }),
  'POST /api/v1/workspaces/:id/members': inWorkspace('/members', { email: 'someone@example.test', role: 'viewer' }),
  'GET /api/v1/workspaces/:id/invitations': inWorkspace('/invitations'),
  'DELETE /api/v1/workspaces/:id/invitations/:invitationId': {
    outsider: 'as-missing',
    async target(t) {
      const { workspace, id } = await invitation(t);
      return { path: api(`/workspaces/${workspace.id}/invitations/${id}`), hidden: { id: workspace.id, kind: 'workspace' } };
    },
  },
  'GET /api/v1/me/invitations': ownAccount('/me/invitations', 200),
  'POST /api/v1/invitations/:id/accept': answerInvitation('accept'),
  'POST /api/v1/invitations/:id/decline': answerInvitation('decline'),

  // Events.
  'GET /api/v1/workspaces/:id/events': inWorkspace('/events'),
  'GET /api/v1/workspaces/:id/events/stream': inWorkspace('/events/stream'),

  // Spaces, projects, labels, statuses.
  'GET /api/v1/workspaces/:id/spaces': inWorkspace('/spaces'),
  'POST /api/v1/workspaces/:id/spaces': inWorkspace('/spaces', { name: 'S' }),
  'GET /api/v1/spaces/:id': space(),
  'PATCH /api/v1/spaces/:id': space({ name: 'Renamed' }),
  'DELETE /api/v1/spaces/:id': space(),
  'GET /api/v1/projects': byId('workspace', async (t) => {
    const { workspace } = await owned(t);
    return { id: workspace.id, path: `/projects?workspaceId=${workspace.id}` };
  }),
  'POST /api/v1/projects': byId('space', async (t) => {
    const { space } = await ownProject(t);
    return { id: space.id, path: '/projects', body: { spaceId: space.id, name: 'P' } };
  }),
  'GET /api/v1/projects/:id': project(),
  'PATCH /api/v1/projects/:id': project({ name: 'Renamed' }),
  'DELETE /api/v1/projects/:id': project(),
  'GET /api/v1/workspaces/:id/labels': inWorkspace('/labels'),
  'POST /api/v1/workspaces/:id/labels': inWorkspace('/labels', { name: 'bug' }),
  'GET /api/v1/labels/:id': label(),
  'PATCH /api/v1/labels/:id': label({ name: 'renamed' }),
  'DELETE /api/v1/labels/:id': label(),
  'GET /api/v1/workspaces/:id/task-statuses': inWorkspace('/task-statuses'),
  'PUT /api/v1/workspaces/:id/task-statuses': inWorkspace('/task-statuses', STATUSES),

  // Tasks.
  'GET /api/v1/tasks': byId('project', async (t) => {
    const { project } = await ownProject(t);
    return { id: project.id, path: `/tasks?projectId=${project.id}` };
  }),
  'POST /api/v1/tasks': byId('project', async (t) => {
    const { project } = await ownProject(t);
    return { id: project.id, path: '/tasks', body: { projectId: project.id, title: 'T' } };
  }),
  'GET /api/v1/tasks/:id': task(''),
  'PATCH /api/v1/tasks/:id': task('', { title: 'Renamed' }),
  'DELETE /api/v1/tasks/:id': task(''),
  'POST /api/v1/tasks/:id/assignees': byId('task', async (t) => {
    const { owner, task } = await withTask(t);
    return { id: task.id, path: `/tasks/${task.id}/assignees`, body: { userId: owner.id } };
  }),
  'DELETE /api/v1/tasks/:id/assignees/:assigneeId': byId('task', async (t) => {
    const { owner, task } = await withTask(t);
    ok(await t.request('POST', api(`/tasks/${task.id}/assignees`), { token: owner.token, body: { userId: owner.id } }));
    return { id: task.id, path: `/tasks/${task.id}/assignees/${owner.id}` };
  }),
  'POST /api/v1/tasks/:id/labels': byId('task', async (t) => {
    const { owner, workspace, task } = await withTask(t);
    const { id } = await createLabel(t, owner, workspace.id);
    return { id: task.id, path: `/tasks/${task.id}/labels`, body: { labelId: id } };
  }),
  'DELETE /api/v1/tasks/:id/labels/:labelId': byId('task', async (t) => {
    const { owner, workspace, task } = await withTask(t);
    const { id } = await createLabel(t, owner, workspace.id);
    ok(await t.request('POST', api(`/tasks/${task.id}/labels`), { token: owner.token, body: { labelId: id } }));
    return { id: task.id, path: `/tasks/${task.id}/labels/${id}` };
  }),
  'POST /api/v1/tasks/:id/claim': task('/claim'),
  'POST /api/v1/tasks/:id/release': task('/release'),
  'POST /api/v1/tasks/:id/complete': task('/complete'),

  // Workspace access tokens and agents.
  'GET /api/v1/workspaces/:id/access-tokens': inWorkspace('/access-tokens'),
  'POST /api/v1/workspaces/:id/access-tokens': inWorkspace('/access-tokens', { label: 'ci', scope: 'viewer' }),
  'PATCH /api/v1/workspaces/:id/access-tokens/:tokenId': accessToken({ label: 'renamed' }),
  'DELETE /api/v1/workspaces/:id/access-tokens/:tokenId': accessToken(),
  'GET /api/v1/workspaces/:id/access-tokens/:tokenId/usage': accessToken(undefined, '/usage'),
  'POST /api/v1/workspaces/:id/access-tokens/:tokenId/narrow': accessToken({ dryRun: true }, '/narrow'),
  'GET /api/v1/workspaces/:id/access-tokens/:tokenId/permissions': accessToken(undefined, '/permissions'),
  'GET /api/v1/workspaces/:id/agents': inWorkspace('/agents'),
  'POST /api/v1/workspaces/:id/agents': inWorkspace('/agents', { name: 'bot' }),
  'GET /api/v1/agents/:id': agent(''),
  'PATCH /api/v1/agents/:id': agent('', { name: 'renamed' }),
  'DELETE /api/v1/agents/:id': agent(''),
  'POST /api/v1/agents/:id/token': agent('/token', {}),
  'DELETE /api/v1/agents/:id/token': agent('/token'),
  'GET /api/v1/agents/:id/usage': agent('/usage'),
  'POST /api/v1/agents/:id/narrow': agent('/narrow', { dryRun: true }),
  'GET /api/v1/agents/:id/permissions': agent('/permissions'),

  // The token inventory (workspace owners and instance admins).
  'GET /api/v1/workspaces/:id/token-inventory': inWorkspace('/token-inventory'),
  'POST /api/v1/workspaces/:id/token-inventory/:kind/:tokenId/revoke': inventoryToken(),

  // Personal access tokens (session only).
  'GET /api/v1/tokens/permissions': ownAccount('/tokens/permissions', 200),
  // A caller in no workspace (as the suite's fresh outsider is) is told to make one first.
  'POST /api/v1/tokens': {
    outsider: { status: 409, code: 'WORKSPACE_REQUIRED', why: OWN },
    target: async () => ({ path: api('/tokens'), body: { name: 'mine' } }),
  },
  'GET /api/v1/tokens': ownAccount('/tokens', 200),
  'GET /api/v1/tokens/:id': personalToken(''),
  'PATCH /api/v1/tokens/:id': personalToken('', { name: 'renamed' }),
  'DELETE /api/v1/tokens/:id': personalToken(''),
  'POST /api/v1/tokens/revoke-all': ownAccount('/tokens/revoke-all', 200),
  'POST /api/v1/tokens/:id/rotate': personalToken('/rotate', {}),
  'GET /api/v1/tokens/:id/usage': personalToken('/usage'),
  'POST /api/v1/tokens/:id/narrow': personalToken('/narrow', { dryRun: true }),
  'GET /api/v1/tokens/:id/permissions': byId('personalToken', async (t) => {
    const { owner, workspace } = await owned(t);
    const { id } = ok(await t.request('POST', api('/tokens'), { token: owner.token, body: { name: 'target' } }), 201);
    return { id, path: `/tokens/${id}/permissions?workspaceId=${workspace.id}` };
  }),

  // Delegated tokens (tgd_): minted by a token for itself; revoked by the root's owner or an ancestor token.
  'POST /api/v1/me/delegate': {
    outsider: { status: 401, code: 'TOKEN_REQUIRED', why: 'delegation takes API tokens only (a session is the wrong kind); no id in it' },
    target: async () => ({ path: api('/me/delegate'), body: {} }),
  },
  'DELETE /api/v1/delegated-tokens/:id': byId('delegatedToken', async (t) => {
    const { owner } = await owned(t);
    const { token } = ok(await t.request('POST', api('/tokens'), { token: owner.token, body: { name: 'root' } }), 201);
    const { id } = ok(await t.request('POST', api('/me/delegate'), { token, body: {} }), 201);
    return { id, path: `/delegated-tokens/${id}` };
  }),

  // Webhooks and their deliveries.
  'GET /api/v1/workspaces/:id/webhooks': inWorkspace('/webhooks'),
  'POST /api/v1/workspaces/:id/webhooks': inWorkspace('/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['*'] }),
  'GET /api/v1/webhooks/:id': webhook(''),
  'PATCH /api/v1/webhooks/:id': webhook('', { description: 'renamed' }),
  'DELETE /api/v1/webhooks/:id': webhook(''),
  'POST /api/v1/webhooks/:id/rotate-secret': webhook('/rotate-secret', {}),
  'POST /api/v1/webhooks/:id/test': webhook('/test'),
  'GET /api/v1/webhooks/:id/deliveries': webhook('/deliveries'),
  'GET /api/v1/webhook-deliveries/:id': delivery(''),
  'POST /api/v1/webhook-deliveries/:id/redeliver': delivery('/redeliver'),

  // The MCP endpoint.
  'POST /mcp': { outsider: MCP, target: async () => ({ path: '/mcp', body: INITIALIZE }) },
  'GET /mcp': { outsider: MCP, target: async () => ({ path: '/mcp' }) },
  'DELETE /mcp': { outsider: MCP, target: async () => ({ path: '/mcp' }) },
};
