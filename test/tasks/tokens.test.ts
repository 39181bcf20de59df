import { expect, it } from 'vitest';
import { expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { createAgent, createPersonalToken, createProject, createTask, createWorkspaceToken, ok, ownProject } from './fixtures.js';

describeEachDialect('task domain: API tokens and agents', (app) => {
  it('a project-scoped personal token sees and touches only its projects, and cannot create projects', async () => {
    const { owner, workspace, space, project: inside } = await ownProject(app());
    const outside = await createProject(app(), owner, space.id, 'Outside');
    const insideTask = await createTask(app(), owner, inside.id, { title: 'in' });
    const outsideTask = await createTask(app(), owner, outside.id, { title: 'out' });
    const token = await createPersonalToken(app(), owner, { projectIds: [inside.id] });
    const as = (method: string, path: string, body?: unknown) => app().request(method, path, { token, body });

    expect(ok(await as('GET', `/api/v1/projects?workspaceId=${workspace.id}`)).items.map((p: { id: string }) => p.id)).toEqual([inside.id]);
    expect(ok(await as('GET', `/api/v1/tasks?workspaceId=${workspace.id}`)).items.map((t: { id: string }) => t.id)).toEqual([
      insideTask.id,
    ]);
    ok(await as('GET', `/api/v1/tasks/${insideTask.id}`));
    const created = ok(await as('POST', '/api/v1/tasks', { projectId: inside.id, title: 'via token' }), 201);
    expect(created.createdBy).toEqual({ type: 'user', id: owner.id });

    expectError(await as('GET', `/api/v1/tasks?projectId=${outside.id}`), 403, 'PROJECT_OUT_OF_SCOPE');
    expectError(await as('GET', `/api/v1/tasks/${outsideTask.id}`), 403, 'PROJECT_OUT_OF_SCOPE');
    expectError(await as('PATCH', `/api/v1/tasks/${outsideTask.id}`, { title: 'x' }), 403, 'PROJECT_OUT_OF_SCOPE');
    expectError(await as('POST', '/api/v1/tasks', { projectId: outside.id, title: 'x' }), 403, 'PROJECT_OUT_OF_SCOPE');
    expectError(await as('PATCH', `/api/v1/tasks/${insideTask.id}`, { projectId: outside.id }), 403, 'PROJECT_OUT_OF_SCOPE');
    expectError(await as('GET', `/api/v1/projects/${outside.id}`), 403, 'PROJECT_OUT_OF_SCOPE');
    expectError(await as('POST', '/api/v1/projects', { spaceId: space.id, name: 'New' }), 403, 'PROJECT_OUT_OF_SCOPE');
    expectError(await as('POST', `/api/v1/workspaces/${workspace.id}/labels`, { name: 'new' }), 403, 'PROJECT_OUT_OF_SCOPE');
    expect(ok(await app().request('GET', `/api/v1/tasks/${outsideTask.id}`, { token: owner.token }))).toEqual(outsideTask);
    expect(ok(await app().request('GET', `/api/v1/tasks/${insideTask.id}`, { token: owner.token })).projectId).toBe(inside.id);
  });

  it('a personal token limited to tasks:read can list but not create', async () => {
    const { owner, project } = await ownProject(app());
    const token = await createPersonalToken(app(), owner, { permissions: ['tasks:read'] });
    ok(await app().request('GET', `/api/v1/tasks?projectId=${project.id}`, { token }));
    const res = await app().request('POST', '/api/v1/tasks', { token, body: { projectId: project.id, title: 'x' } });
    expectError(res, 403, 'PERMISSION_DENIED');
    expect(res.body.missingPermission).toBe('tasks:create');
  });

  it('an agent reads, edits, claims and completes, but cannot create or delete tasks or manage spaces', async () => {
    const { owner, workspace, project, space } = await ownProject(app());
    const agent = await createAgent(app(), owner, workspace.id);
    const task = await createTask(app(), owner, project.id);
    const as = (method: string, path: string, body?: unknown) => app().request(method, path, { token: agent.token, body });

    ok(await as('GET', `/api/v1/workspaces/${workspace.id}/spaces`));
    ok(await as('GET', `/api/v1/tasks?projectId=${project.id}`));
    expect(ok(await as('PATCH', `/api/v1/tasks/${task.id}`, { description: 'Triaged' })).updatedBy).toEqual({
      type: 'agent',
      id: agent.id,
    });
    expectError(await as('POST', '/api/v1/tasks', { projectId: project.id, title: 'x' }), 403, 'AGENT_NOT_ALLOWED');
    expectError(await as('DELETE', `/api/v1/tasks/${task.id}`), 403, 'AGENT_NOT_ALLOWED');
    expectError(await as('PATCH', `/api/v1/spaces/${space.id}`, { name: 'x' }), 403, 'AGENT_NOT_ALLOWED');

    const other = await ownProject(app());
    expectError(await as('GET', `/api/v1/tasks?projectId=${other.project.id}`), 404, 'NOT_FOUND');
  });

  it("a workspace access token acts with its scope's permissions and is named as the actor", async () => {
    const { owner, workspace, project } = await ownProject(app());
    const viewerKey = await createWorkspaceToken(app(), owner, workspace.id, 'viewer');
    const managerKey = await createWorkspaceToken(app(), owner, workspace.id, 'workspace_manager');
    ok(await app().request('GET', `/api/v1/tasks?projectId=${project.id}`, { token: viewerKey }));
    expectError(
      await app().request('POST', '/api/v1/tasks', { token: viewerKey, body: { projectId: project.id, title: 'x' } }),
      403,
      'PERMISSION_DENIED',
    );
    const space = ok(
      await app().request('POST', `/api/v1/workspaces/${workspace.id}/spaces`, { token: managerKey, body: { name: 'By key' } }),
      201,
    );
    expect(space.createdBy.type).toBe('workspace_token');
    const events = ok(await app().request('GET', `/api/v1/workspaces/${workspace.id}/events?type=space.created`, { token: owner.token }));
    expect(events.items[0].actor).toEqual(space.createdBy);
  });
});
