import { expect, it } from 'vitest';
import { expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { createProject, createTask, ok, ownProject } from './fixtures.js';

describeEachDialect('tasks: create, read, edit, delete', (app) => {
  it('creates a task with every field and defaults, and reads it back with an ETag', async () => {
    const { owner, project, workspace } = await ownProject(app());
    const plain = await createTask(app(), owner, project.id, { title: 'Plain' });
    expect(plain).toMatchObject({
      workspaceId: workspace.id,
      projectId: project.id,
      title: 'Plain',
      description: '',
      status: 'todo',
      priority: 'none',
      dueAt: null,
      position: 1,
      version: 1,
      assignees: [],
      labels: [],
      claimedBy: null,
      completedAt: null,
      resultNote: null,
      createdBy: { type: 'user', id: owner.id },
      updatedBy: { type: 'user', id: owner.id },
    });
    const full = await createTask(app(), owner, project.id, {
      title: 'Full',
      description: '# Heading\n\n- item',
      status: 'blocked',
      priority: 'high',
      dueAt: '2031-05-01T12:00:00+02:00',
      position: 0.5,
    });
    expect(full).toMatchObject({
      description: '# Heading\n\n- item',
      status: 'blocked',
      priority: 'high',
      dueAt: '2031-05-01T10:00:00.000Z',
      position: 0.5,
    });
    expect((await createTask(app(), owner, project.id)).position).toBe(2);

    const res = await app().request('GET', `/api/v1/tasks/${full.id}`, { token: owner.token });
    expect(ok(res)).toEqual(full);
    expect(res.headers.get('etag')).toBe('"1"');
  });

  it('edits a task, bumps its version and records task.updated with the changed fields', async () => {
    const { owner, project, workspace } = await ownProject(app());
    const task = await createTask(app(), owner, project.id);
    const res = await app().request('PATCH', `/api/v1/tasks/${task.id}`, {
      token: owner.token,
      body: { title: 'Renamed', priority: 'urgent', dueAt: null, status: 'blocked' },
    });
    const edited = ok(res);
    expect(edited).toMatchObject({ title: 'Renamed', priority: 'urgent', status: 'blocked', version: 2 });
    expect(res.headers.get('etag')).toBe('"2"');
    const events = ok(await app().request('GET', `/api/v1/workspaces/${workspace.id}/events?type=task.updated`, { token: owner.token }));
    expect(events.items).toHaveLength(1);
    expect(events.items[0]).toMatchObject({
      resourceId: task.id,
      projectId: project.id,
      data: { title: 'Renamed', version: 2, changedFields: ['dueAt', 'priority', 'status', 'title'] },
    });
  });

  it('moving to done via PATCH records task.completed and sets completedAt; moving back clears it', async () => {
    const { owner, project, workspace } = await ownProject(app());
    const task = await createTask(app(), owner, project.id);
    const done = ok(await app().request('PATCH', `/api/v1/tasks/${task.id}`, { token: owner.token, body: { status: 'done' } }));
    expect(done.completedAt).toEqual(expect.any(String));
    const reopened = ok(await app().request('PATCH', `/api/v1/tasks/${task.id}`, { token: owner.token, body: { status: 'todo' } }));
    expect(reopened.completedAt).toBeNull();
    const types = ok(await app().request('GET', `/api/v1/workspaces/${workspace.id}/events?limit=10`, { token: owner.token })).items.map(
      (e: { type: string }) => e.type,
    );
    expect(types.slice(0, 3)).toEqual(['task.updated', 'task.completed', 'task.created']);
  });

  it('If-Match: the current version (bare or quoted) passes, a stale one gets 412 and changes nothing', async () => {
    const { owner, project } = await ownProject(app());
    const task = await createTask(app(), owner, project.id);
    const patch = (ifMatch: string, title: string) =>
      app().request('PATCH', `/api/v1/tasks/${task.id}`, { token: owner.token, body: { title }, headers: { 'if-match': ifMatch } });
    expect(ok(await patch('1', 'One')).version).toBe(2);
    expect(ok(await patch('"2"', 'Two')).version).toBe(3);
    expect(ok(await patch('W/"3"', 'Three')).version).toBe(4);
    const stale = await patch('"2"', 'Lost update');
    expectError(stale, 412, 'PRECONDITION_FAILED');
    expect(stale.body.currentVersion).toBe(4);
    expect(ok(await app().request('GET', `/api/v1/tasks/${task.id}`, { token: owner.token }))).toMatchObject({
      title: 'Three',
      version: 4,
    });
    expectError(await patch('not-a-version', 'Bad'), 400, 'VALIDATION_FAILED');
    expect(ok(await patch('*', 'Any')).version).toBe(5);
  });

  it('two concurrent edits guarded by the same version: exactly one wins, the other gets 412', async () => {
    const { owner, project } = await ownProject(app());
    const task = await createTask(app(), owner, project.id);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        app().request('PATCH', `/api/v1/tasks/${task.id}`, {
          token: owner.token,
          body: { title: `Edit ${i}` },
          headers: { 'if-match': '"1"' },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const res of results.filter((r) => r.status !== 200)) expectError(res, 412, 'PRECONDITION_FAILED');
    expect(ok(await app().request('GET', `/api/v1/tasks/${task.id}`, { token: owner.token })).version).toBe(2);
  });

  it("refuses a status outside the workspace's list, on create and on edit", async () => {
    const { owner, project } = await ownProject(app());
    const res = await app().request('POST', '/api/v1/tasks', {
      token: owner.token,
      body: { projectId: project.id, title: 'x', status: 'someday' },
    });
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.body.fields).toEqual([{ field: 'status', message: expect.stringContaining('todo') }]);
    const task = await createTask(app(), owner, project.id);
    expectError(
      await app().request('PATCH', `/api/v1/tasks/${task.id}`, { token: owner.token, body: { status: 'someday' } }),
      400,
      'VALIDATION_FAILED',
    );
    expect(ok(await app().request('GET', `/api/v1/tasks/${task.id}`, { token: owner.token })).version).toBe(1);
  });

  it('moves a task to another project of the workspace, never to a foreign one', async () => {
    const { owner, project, space } = await ownProject(app());
    const target = await createProject(app(), owner, space.id, 'Target');
    const task = await createTask(app(), owner, project.id);
    expect(
      ok(await app().request('PATCH', `/api/v1/tasks/${task.id}`, { token: owner.token, body: { projectId: target.id } })).projectId,
    ).toBe(target.id);
    const foreign = await ownProject(app());
    expectError(
      await app().request('PATCH', `/api/v1/tasks/${task.id}`, { token: owner.token, body: { projectId: foreign.project.id } }),
      404,
      'NOT_FOUND',
    );
    expectError(
      await app().request('POST', '/api/v1/tasks', { token: owner.token, body: { projectId: foreign.project.id, title: 'x' } }),
      404,
      'NOT_FOUND',
    );
    expect(ok(await app().request('GET', `/api/v1/tasks/${task.id}`, { token: owner.token })).projectId).toBe(target.id);
  });

  it('deletes a task and records task.deleted with its last snapshot', async () => {
    const { owner, project, workspace } = await ownProject(app());
    const task = await createTask(app(), owner, project.id, { title: 'Doomed' });
    expect((await app().request('DELETE', `/api/v1/tasks/${task.id}`, { token: owner.token })).status).toBe(204);
    expectError(await app().request('GET', `/api/v1/tasks/${task.id}`, { token: owner.token }), 404, 'NOT_FOUND');
    expectError(await app().request('DELETE', `/api/v1/tasks/${task.id}`, { token: owner.token }), 404, 'NOT_FOUND');
    const events = ok(await app().request('GET', `/api/v1/workspaces/${workspace.id}/events?type=task.deleted`, { token: owner.token }));
    expect(events.items[0]).toMatchObject({ resourceType: 'task', resourceId: task.id, projectId: project.id, data: { title: 'Doomed' } });
  });

  it('answers 404 to an outsider on every task route, exactly as for a missing id', async () => {
    const { owner, project } = await ownProject(app());
    const task = await createTask(app(), owner, project.id);
    const stranger = (await ownProject(app())).owner;
    const routes: Array<[string, string, unknown]> = [
      ['GET', `/api/v1/tasks/${task.id}`, undefined],
      ['PATCH', `/api/v1/tasks/${task.id}`, { title: 'x' }],
      ['DELETE', `/api/v1/tasks/${task.id}`, undefined],
      ['POST', `/api/v1/tasks/${task.id}/claim`, undefined],
      ['POST', `/api/v1/tasks/${task.id}/complete`, undefined],
      ['POST', `/api/v1/tasks/${task.id}/assignees`, { userId: stranger.id }],
      ['DELETE', `/api/v1/tasks/${task.id}/assignees/${owner.id}`, undefined],
      ['POST', `/api/v1/tasks/${task.id}/labels`, { labelId: 'lbl_x' }],
      ['DELETE', `/api/v1/tasks/${task.id}/labels/lbl_x`, undefined],
    ];
    for (const [method, path, body] of routes) {
      const res = await app().request(method, path, { token: stranger.token, body });
      expectError(res, 404, 'NOT_FOUND');
      const missing = await app().request(method, path.replace(task.id, 'tsk_missing'), { token: stranger.token, body });
      expect(missing.body.error).toBe(res.body.error);
    }
    expectError(await app().request('GET', `/api/v1/tasks?projectId=${project.id}`, { token: stranger.token }), 404, 'NOT_FOUND');
    expectError(
      await app().request('POST', '/api/v1/tasks', { token: stranger.token, body: { projectId: project.id, title: 'x' } }),
      404,
      'NOT_FOUND',
    );
    expect(ok(await app().request('GET', `/api/v1/tasks/${task.id}`, { token: owner.token }))).toEqual(task);
  });
});
