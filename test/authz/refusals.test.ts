import { expect, it } from 'vitest';
import { addMember, createUser, createWorkspace, expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { createAgent, createPersonalToken, createProject, createWorkspaceToken, ownProject } from '../tasks/fixtures.js';

const newTask = (projectId: string) => ({ projectId, title: 'Refused' });

describeEachDialect('authorisation: every 403 names the layer that refused', (app) => {
  it('role: a viewer writing is refused by their role, and so is their unnarrowed token', async () => {
    const { owner, workspace, project } = await ownProject(app());
    const viewer = await createUser(app());
    await addMember(app(), owner, workspace, viewer, 'viewer');
    const bySession = await app().request('POST', '/api/v1/tasks', { token: viewer.token, body: newTask(project.id) });
    expectError(bySession, 403, 'PERMISSION_DENIED');
    expect(bySession.body).toMatchObject({ refusedBy: 'role', missingPermission: 'tasks:create' });

    const token = await createPersonalToken(app(), viewer);
    const byToken = await app().request('POST', '/api/v1/tasks', { token, body: newTask(project.id) });
    expectError(byToken, 403, 'PERMISSION_DENIED');
    expect(byToken.body).toMatchObject({ refusedBy: 'role', missingPermission: 'tasks:create' });
  });

  it("role: a workspace token's scope refuses what the scope lacks", async () => {
    const { owner, workspace, project } = await ownProject(app());
    const token = await createWorkspaceToken(app(), owner, workspace.id, 'viewer');
    const res = await app().request('POST', '/api/v1/tasks', { token, body: newTask(project.id) });
    expectError(res, 403, 'PERMISSION_DENIED');
    expect(res.body).toMatchObject({ refusedBy: 'role', missingPermission: 'tasks:create' });
  });

  it("token permissions: an owner's personal token without the permission", async () => {
    const { owner, project } = await ownProject(app());
    const token = await createPersonalToken(app(), owner, { permissions: ['tasks:read'] });
    const res = await app().request('POST', '/api/v1/tasks', { token, body: newTask(project.id) });
    expectError(res, 403, 'PERMISSION_DENIED');
    expect(res.body).toMatchObject({ refusedBy: 'token_permissions', missingPermission: 'tasks:create' });
    expect(res.body.error).toContain('tasks:create');
  });

  it('project restriction: another project, a workspace-wide permission and a workspace-wide change', async () => {
    const { owner, workspace, space, project } = await ownProject(app());
    const other = await createProject(app(), owner, space.id, 'Frontend');
    const token = await createPersonalToken(app(), owner, { projectIds: [project.id] });
    expect((await app().request('POST', '/api/v1/tasks', { token, body: newTask(project.id) })).status).toBe(201);

    const elsewhere = await app().request('POST', '/api/v1/tasks', { token, body: newTask(other.id) });
    expectError(elsewhere, 403, 'PROJECT_OUT_OF_SCOPE');
    expect(elsewhere.body).toMatchObject({ refusedBy: 'project_restriction', projectId: other.id, missingPermission: 'tasks:create' });

    const rename = await app().request('PATCH', `/api/v1/workspaces/${workspace.id}`, { token, body: { name: 'Renamed' } });
    expectError(rename, 403, 'PROJECT_OUT_OF_SCOPE');
    expect(rename.body).toMatchObject({ refusedBy: 'project_restriction', missingPermission: 'workspace:write' });

    const label = await app().request('POST', `/api/v1/workspaces/${workspace.id}/labels`, { token, body: { name: 'bug' } });
    expectError(label, 403, 'PROJECT_OUT_OF_SCOPE');
    expect(label.body.refusedBy).toBe('project_restriction');
  });

  it('agent matrix: an agent token asking for what no agent may do', async () => {
    const { owner, workspace, project } = await ownProject(app());
    const agent = await createAgent(app(), owner, workspace.id);
    const res = await app().request('POST', '/api/v1/tasks', { token: agent.token, body: newTask(project.id) });
    expectError(res, 403, 'AGENT_NOT_ALLOWED');
    expect(res.body).toMatchObject({ refusedBy: 'agent_matrix', missingPermission: 'tasks:create' });
  });

  it('plan: a token in a free workspace, while the session is not subject to the plan', async () => {
    const { owner } = await ownProject(app());
    const free = await createWorkspace(app(), owner, { plan: 'free' });
    const token = await createPersonalToken(app(), owner);
    const res = await app().request('GET', `/api/v1/workspaces/${free.id}`, { token });
    expectError(res, 403, 'PLAN_UPGRADE_REQUIRED');
    expect(res.body).toMatchObject({ refusedBy: 'plan', plan: 'free' });
    expect((await app().request('GET', `/api/v1/workspaces/${free.id}`, { token: owner.token })).status).toBe(200);
  });

  it("a token on a route that acts on a user's own account names its kind's layer", async () => {
    const { owner, workspace } = await ownProject(app());
    const agent = await createAgent(app(), owner, workspace.id);
    const key = await createWorkspaceToken(app(), owner, workspace.id, 'owner');
    const byAgent = await app().request('GET', '/api/v1/me/invitations', { token: agent.token });
    expectError(byAgent, 403, 'AGENT_NOT_ALLOWED');
    expect(byAgent.body.refusedBy).toBe('agent_matrix');
    const byKey = await app().request('GET', '/api/v1/me/invitations', { token: key });
    expectError(byKey, 403, 'FORBIDDEN');
    expect(byKey.body.refusedBy).toBe('token_permissions');
  });
});
