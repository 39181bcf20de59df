import { expect, it } from 'vitest';
import { ROLES, roleAtLeast, type Role } from '../../src/authz/roles.js';
import { createTeam, createUser, expectError, type TestWorkspace } from '../helpers/factories.js';
import { describeEachDialect, type TestApp } from '../helpers/harness.js';
import { createProjectWithTasks, type TaskFixture } from '../agents/task-fixtures.js';
import { accessTokensPath, createAccessToken } from './helpers.js';

interface Target {
  workspace: TestWorkspace;
  fixture: TaskFixture;
  newcomerEmail: string;
}

interface Check {
  /** The least scope that may do it. */
  minScope: Role;
  status: number;
  request: (t: Target) => [method: string, path: string, body?: unknown];
}

// One API call per permission level, in an order where each leaves the next something to act on.
const CHECKS: Record<string, Check> = {
  'read the workspace': { minScope: 'viewer', status: 200, request: (t) => ['GET', `/api/v1/workspaces/${t.workspace.id}`] },
  'list tasks': { minScope: 'viewer', status: 200, request: (t) => ['GET', `/api/v1/tasks?projectId=${t.fixture.projectId}`] },
  'create a task': {
    minScope: 'team_member',
    status: 201,
    request: (t) => ['POST', '/api/v1/tasks', { projectId: t.fixture.projectId, title: 'From CI' }],
  },
  'edit a task': {
    minScope: 'team_member',
    status: 200,
    request: (t) => ['PATCH', `/api/v1/tasks/${t.fixture.taskIds[0]}`, { status: 'blocked' }],
  },
  'create a project': {
    minScope: 'workspace_manager',
    status: 201,
    request: (t) => ['POST', '/api/v1/projects', { spaceId: t.fixture.spaceId, name: 'From CI' }],
  },
  'invite a member': {
    minScope: 'workspace_manager',
    status: 201,
    request: (t) => ['POST', `/api/v1/workspaces/${t.workspace.id}/invitations`, { email: t.newcomerEmail, role: 'viewer' }],
  },
  'delete a task': { minScope: 'workspace_manager', status: 204, request: (t) => ['DELETE', `/api/v1/tasks/${t.fixture.taskIds[1]}`] },
  'register an agent': {
    minScope: 'administrator',
    status: 201,
    request: (t) => ['POST', `/api/v1/workspaces/${t.workspace.id}/agents`, { name: 'CI bot' }],
  },
  'configure a webhook': {
    minScope: 'administrator',
    status: 201,
    request: (t) => [
      'POST',
      `/api/v1/workspaces/${t.workspace.id}/webhooks`,
      { url: 'https://example.com/taskgate', events: ['label.deleted'] },
    ],
  },
  'rename the workspace': {
    minScope: 'administrator',
    status: 200,
    request: (t) => ['PATCH', `/api/v1/workspaces/${t.workspace.id}`, { name: 'Renamed by key' }],
  },
  'delete the workspace': { minScope: 'owner', status: 204, request: (t) => ['DELETE', `/api/v1/workspaces/${t.workspace.id}`] },
};

async function target(t: TestApp) {
  const team = await createTeam(t);
  const fixture = await createProjectWithTasks(t, team.members.owner, team.workspace, 2);
  const newcomer = await createUser(t);
  return { team, target: { workspace: team.workspace, fixture, newcomerEmail: newcomer.email } };
}

describeEachDialect('workspace access tokens: each scope acts with exactly its role', (app) => {
  for (const scope of ROLES) {
    it(`a ${scope}-scoped token`, async () => {
      const { team, target: t } = await target(app());
      const key = await createAccessToken(app(), team.members.owner, team.workspace, { scope });
      for (const [name, check] of Object.entries(CHECKS)) {
        const [method, path, body] = check.request(t);
        const res = await app().request(method, path, { token: key.token, body });
        if (roleAtLeast(scope, check.minScope)) expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(check.status);
        else expectError(res, 403, 'PERMISSION_DENIED');
      }
    });
  }

  it('the team API key is named as the actor of what it does', async () => {
    const { team, target: t } = await target(app());
    const key = await createAccessToken(app(), team.members.owner, team.workspace, { scope: 'administrator' });
    const task = await app().request('POST', '/api/v1/tasks', {
      token: key.token,
      body: { projectId: t.fixture.projectId, title: 'Nightly build failed' },
    });
    expect(task.body.createdBy).toEqual({ type: 'workspace_token', id: key.id });
    const events = await app()
      .ctx.db.selectFrom('events')
      .select(['actor_type', 'actor_id'])
      .where('resource_id', '=', task.body.id)
      .execute();
    expect(events).toEqual([{ actor_type: 'workspace_token', actor_id: key.id }]);
  });

  it('a scope change applies on the very next request, both ways', async () => {
    const { team, target: t } = await target(app());
    const key = await createAccessToken(app(), team.members.owner, team.workspace, { scope: 'viewer' });
    const createTask = () =>
      app().request('POST', '/api/v1/tasks', { token: key.token, body: { projectId: t.fixture.projectId, title: 'x' } });
    const rescope = (scope: Role) =>
      app().request('PATCH', accessTokensPath(team.workspace, key.id), { token: team.members.owner.token, body: { scope } });

    expectError(await createTask(), 403, 'PERMISSION_DENIED');
    expect((await rescope('team_member')).status).toBe(200);
    expect((await createTask()).status).toBe(201);
    expect((await rescope('viewer')).status).toBe(200);
    expectError(await createTask(), 403, 'PERMISSION_DENIED');
  });

  it('acts with its scope whoever created it: demoting the creator changes nothing, removing them disables it', async () => {
    const { team, target: t } = await target(app());
    const manager = team.members.workspace_manager;
    const key = await createAccessToken(app(), manager, team.workspace, { scope: 'workspace_manager' });
    const createProject = (name: string) =>
      app().request('POST', '/api/v1/projects', { token: key.token, body: { spaceId: t.fixture.spaceId, name } });
    const owner = team.members.owner.token;

    expect(
      (
        await app().request('PATCH', `/api/v1/workspaces/${team.workspace.id}/members/${manager.id}`, {
          token: owner,
          body: { role: 'viewer' },
        })
      ).status,
    ).toBe(200);
    expect((await createProject('after demotion')).status).toBe(201);
    expect((await app().request('DELETE', `/api/v1/workspaces/${team.workspace.id}/members/${manager.id}`, { token: owner })).status).toBe(
      204,
    );
    expectError(await createProject('after removal'), 401, 'TOKEN_DISABLED');
  });

  it('works in its own workspace only: another workspace is 404, even for an owner-scoped key', async () => {
    const mine = await target(app());
    const theirs = await target(app());
    const key = await createAccessToken(app(), mine.team.members.owner, mine.team.workspace, { scope: 'owner' });
    expectError(await app().request('GET', `/api/v1/workspaces/${theirs.target.workspace.id}`, { token: key.token }), 404, 'NOT_FOUND');
    expectError(await app().request('GET', `/api/v1/tasks/${theirs.target.fixture.taskIds[0]}`, { token: key.token }), 404, 'NOT_FOUND');
    const res = await app().request('POST', '/api/v1/tasks', {
      token: key.token,
      body: { projectId: theirs.target.fixture.projectId, title: 'x' },
    });
    expectError(res, 404, 'NOT_FOUND');
    const listed = await app().request('GET', '/api/v1/workspaces', { token: key.token });
    expect(listed.body.items.map((w: { id: string }) => w.id)).toEqual([mine.team.workspace.id]);
  });

  it("/me describes the token: its workspace and exactly its scope's permissions", async () => {
    const { team } = await target(app());
    const key = await createAccessToken(app(), team.members.owner, team.workspace, { scope: 'team_member', label: 'Deploys' });
    const me = await app().request('GET', '/api/v1/me', { token: key.token });
    expect(me.body).toMatchObject({ id: null, name: 'Deploys', token: { id: key.id, kind: 'workspace', workspaceId: team.workspace.id } });
    expect(me.body.token.permissions).toContain('tasks:create');
    expect(me.body.token.permissions).not.toContain('projects:write');
  });
});
