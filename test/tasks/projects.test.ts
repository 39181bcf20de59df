import { expect, it } from 'vitest';
import { expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { createLabel, createProject, createSpace, createTask, ok, ownProject } from './fixtures.js';

describeEachDialect('projects', (app) => {
  it('creates, reads, edits and deletes a project with project.* events carrying the project id', async () => {
    const { owner, workspace, space } = await ownProject(app());
    const project = await createProject(app(), owner, space.id, 'Mobile');
    expect(project).toMatchObject({ workspaceId: workspace.id, spaceId: space.id, name: 'Mobile', archived: false, archivedAt: null });
    expect(ok(await app().request('GET', `/api/v1/projects/${project.id}`, { token: owner.token }))).toEqual(project);
    const edited = ok(
      await app().request('PATCH', `/api/v1/projects/${project.id}`, { token: owner.token, body: { name: 'iOS', description: 'The app' } }),
    );
    expect(edited).toMatchObject({ name: 'iOS', description: 'The app' });
    expect((await app().request('DELETE', `/api/v1/projects/${project.id}`, { token: owner.token })).status).toBe(204);
    expectError(await app().request('GET', `/api/v1/projects/${project.id}`, { token: owner.token }), 404, 'NOT_FOUND');

    const events = ok(await app().request('GET', `/api/v1/workspaces/${workspace.id}/events?limit=200`, { token: owner.token }));
    const mine = events.items.filter((e: { resourceId: string }) => e.resourceId === project.id).reverse();
    expect(mine.map((e: { type: string }) => e.type)).toEqual(['project.created', 'project.updated', 'project.deleted']);
    expect(mine.every((e: { projectId: string }) => e.projectId === project.id)).toBe(true);
  });

  it('archives a project: task changes get 409 PROJECT_ARCHIVED, reads still work, restoring re-opens it', async () => {
    const { owner, project, workspace } = await ownProject(app());
    const task = await createTask(app(), owner, project.id);
    const archived = ok(await app().request('PATCH', `/api/v1/projects/${project.id}`, { token: owner.token, body: { archived: true } }));
    expect(archived.archived).toBe(true);
    expect(archived.archivedAt).toEqual(expect.any(String));

    const label = await createLabel(app(), owner, workspace.id);
    const refused = [
      await app().request('POST', '/api/v1/tasks', { token: owner.token, body: { projectId: project.id, title: 'No' } }),
      await app().request('PATCH', `/api/v1/tasks/${task.id}`, { token: owner.token, body: { title: 'No' } }),
      await app().request('POST', `/api/v1/tasks/${task.id}/claim`, { token: owner.token }),
      await app().request('POST', `/api/v1/tasks/${task.id}/complete`, { token: owner.token }),
      await app().request('POST', `/api/v1/tasks/${task.id}/assignees`, { token: owner.token, body: { userId: owner.id } }),
      await app().request('POST', `/api/v1/tasks/${task.id}/labels`, { token: owner.token, body: { labelId: label.id } }),
      await app().request('DELETE', `/api/v1/tasks/${task.id}`, { token: owner.token }),
    ];
    for (const res of refused) expectError(res, 409, 'PROJECT_ARCHIVED');
    const unchanged = ok(await app().request('GET', `/api/v1/tasks/${task.id}`, { token: owner.token }));
    expect(unchanged).toEqual(task);

    const restored = ok(await app().request('PATCH', `/api/v1/projects/${project.id}`, { token: owner.token, body: { archived: false } }));
    expect(restored).toMatchObject({ archived: false, archivedAt: null });
    ok(await app().request('PATCH', `/api/v1/tasks/${task.id}`, { token: owner.token, body: { title: 'Yes' } }));
    const types = ok(await app().request('GET', `/api/v1/workspaces/${workspace.id}/events?limit=200`, { token: owner.token })).items.map(
      (e: { type: string }) => e.type,
    );
    expect(types).toContain('project.archived');
    expect(types).toContain('project.unarchived');
  });

  it('lists projects by name, per space, leaving archived ones out unless asked', async () => {
    const { owner, workspace, space, project } = await ownProject(app());
    const other = await createSpace(app(), owner, workspace.id, 'Other');
    const zeta = await createProject(app(), owner, other.id, 'Zeta');
    const alpha = await createProject(app(), owner, space.id, 'Alpha');
    ok(await app().request('PATCH', `/api/v1/projects/${alpha.id}`, { token: owner.token, body: { archived: true } }));
    const list = (query: string) => app().request('GET', `/api/v1/projects?workspaceId=${workspace.id}${query}`, { token: owner.token });

    expect(ok(await list('')).items.map((p: { id: string }) => p.id)).toEqual([project.id, zeta.id]);
    expect(ok(await list('&includeArchived=true')).items.map((p: { id: string }) => p.id)).toEqual([alpha.id, project.id, zeta.id]);
    expect(ok(await list(`&spaceId=${other.id}`)).items.map((p: { id: string }) => p.id)).toEqual([zeta.id]);
    const page = ok(await list('&includeArchived=true&limit=2'));
    expect(page.items).toHaveLength(2);
    const rest = ok(await list(`&includeArchived=true&limit=2&cursor=${page.nextCursor}`));
    expect(rest.items.map((p: { id: string }) => p.id)).toEqual([zeta.id]);
    expect(rest.nextCursor).toBeNull();
  });

  it('deleting a project deletes its tasks (and their assignees and labels)', async () => {
    const { owner, project, workspace } = await ownProject(app());
    const task = await createTask(app(), owner, project.id);
    const label = await createLabel(app(), owner, workspace.id);
    ok(await app().request('POST', `/api/v1/tasks/${task.id}/labels`, { token: owner.token, body: { labelId: label.id } }));
    ok(await app().request('POST', `/api/v1/tasks/${task.id}/assignees`, { token: owner.token, body: { userId: owner.id } }));
    expect((await app().request('DELETE', `/api/v1/projects/${project.id}`, { token: owner.token })).status).toBe(204);
    expectError(await app().request('GET', `/api/v1/tasks/${task.id}`, { token: owner.token }), 404, 'NOT_FOUND');
    const db = app().ctx.db;
    expect(await db.selectFrom('task_assignees').selectAll().where('task_id', '=', task.id).execute()).toEqual([]);
    expect(await db.selectFrom('task_labels').selectAll().where('task_id', '=', task.id).execute()).toEqual([]);
    ok(await app().request('GET', `/api/v1/labels/${label.id}`, { token: owner.token }));
  });

  it('deleting a project records task.deleted for each of its tasks, then project.deleted, in one transaction', async () => {
    const { owner, project, workspace } = await ownProject(app());
    const tasks = [
      await createTask(app(), owner, project.id, { title: 'One' }),
      await createTask(app(), owner, project.id, { title: 'Two' }),
    ];
    const kept = await createTask(app(), owner, (await createProject(app(), owner, project.spaceId, 'Kept')).id);
    expect((await app().request('DELETE', `/api/v1/projects/${project.id}`, { token: owner.token })).status).toBe(204);

    const events = ok(
      await app().request('GET', `/api/v1/workspaces/${workspace.id}/events?limit=3`, { token: owner.token }),
    ).items.reverse();
    expect(events.map((e: { type: string }) => e.type)).toEqual(['task.deleted', 'task.deleted', 'project.deleted']);
    const deleted = events
      .slice(0, 2)
      .sort((a: { resourceId: string }, b: { resourceId: string }) => a.resourceId.localeCompare(b.resourceId));
    for (const [i, task] of [...tasks].sort((a, b) => a.id.localeCompare(b.id)).entries()) {
      expect(deleted[i]).toMatchObject({
        resourceType: 'task',
        resourceId: task.id,
        projectId: project.id,
        actor: { type: 'user', id: owner.id },
        data: { id: task.id, title: task.title },
      });
    }
    ok(await app().request('GET', `/api/v1/tasks/${kept.id}`, { token: owner.token }));
  });

  it('answers 404 to an outsider for every project route, as for a missing id', async () => {
    const { project, space, workspace } = await ownProject(app());
    const other = await ownProject(app());
    const stranger = other.owner;
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { name: 'x' }],
      ['DELETE', undefined],
    ] as const) {
      const res = await app().request(method, `/api/v1/projects/${project.id}`, { token: stranger.token, body });
      expectError(res, 404, 'NOT_FOUND');
      expect(res.body.error).toBe('Project not found');
    }
    expectError(await app().request('GET', `/api/v1/projects?workspaceId=${workspace.id}`, { token: stranger.token }), 404, 'NOT_FOUND');
    expectError(
      await app().request('POST', '/api/v1/projects', { token: stranger.token, body: { spaceId: space.id, name: 'x' } }),
      404,
      'NOT_FOUND',
    );
  });
});
