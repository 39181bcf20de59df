import { expect, it } from 'vitest';
import { expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { createTask, ok, ownProject } from './fixtures.js';

const CUSTOM = [
  { key: 'backlog', name: 'Backlog' },
  { key: 'in_progress', name: 'Doing' },
  { key: 'review', name: 'In review' },
  { key: 'done', name: 'Shipped' },
];

describeEachDialect('tasks: workspace statuses', (app) => {
  it('starts with todo, in_progress, blocked, done', async () => {
    const { owner, workspace } = await ownProject(app());
    const res = ok(await app().request('GET', `/api/v1/workspaces/${workspace.id}/task-statuses`, { token: owner.token }));
    expect(res.items.map((s: { key: string }) => s.key)).toEqual(['todo', 'in_progress', 'blocked', 'done']);
  });

  it("uses the workspace's own list: new tasks start in its first status, moves are checked against it", async () => {
    const { owner, workspace, project } = await ownProject(app());
    const put = ok(
      await app().request('PUT', `/api/v1/workspaces/${workspace.id}/task-statuses`, { token: owner.token, body: { statuses: CUSTOM } }),
    );
    expect(put.items).toEqual(CUSTOM);
    expect(ok(await app().request('GET', `/api/v1/workspaces/${workspace.id}/task-statuses`, { token: owner.token })).items).toEqual(
      CUSTOM,
    );

    const task = await createTask(app(), owner, project.id);
    expect(task.status).toBe('backlog');
    expect(ok(await app().request('PATCH', `/api/v1/tasks/${task.id}`, { token: owner.token, body: { status: 'review' } })).status).toBe(
      'review',
    );
    expectError(
      await app().request('PATCH', `/api/v1/tasks/${task.id}`, { token: owner.token, body: { status: 'blocked' } }),
      400,
      'VALIDATION_FAILED',
    );
    expect(ok(await app().request('POST', `/api/v1/tasks/${task.id}/claim`, { token: owner.token })).status).toBe('in_progress');
    expect(ok(await app().request('POST', `/api/v1/tasks/${task.id}/complete`, { token: owner.token })).status).toBe('done');

    const events = ok(
      await app().request('GET', `/api/v1/workspaces/${workspace.id}/events?type=workspace.updated`, { token: owner.token }),
    );
    expect(events.items[0]).toMatchObject({ resourceId: workspace.id, data: { taskStatuses: CUSTOM } });
  });

  it('refuses to drop a status that tasks still use (409, naming it) and keeps the old list', async () => {
    const { owner, workspace, project } = await ownProject(app());
    await createTask(app(), owner, project.id, { status: 'blocked' });
    const res = await app().request('PUT', `/api/v1/workspaces/${workspace.id}/task-statuses`, {
      token: owner.token,
      body: { statuses: CUSTOM },
    });
    expectError(res, 409, 'CONFLICT');
    expect(res.body.statusesInUse).toEqual(['blocked']);
    const list = ok(await app().request('GET', `/api/v1/workspaces/${workspace.id}/task-statuses`, { token: owner.token }));
    expect(list.items.map((s: { key: string }) => s.key)).toEqual(['todo', 'in_progress', 'blocked', 'done']);
  });

  it("keeps each workspace's list its own", async () => {
    const a = await ownProject(app());
    const b = await ownProject(app());
    ok(
      await app().request('PUT', `/api/v1/workspaces/${a.workspace.id}/task-statuses`, {
        token: a.owner.token,
        body: { statuses: CUSTOM },
      }),
    );
    expect((await createTask(app(), b.owner, b.project.id)).status).toBe('todo');
    expectError(
      await app().request('PUT', `/api/v1/workspaces/${a.workspace.id}/task-statuses`, {
        token: b.owner.token,
        body: { statuses: CUSTOM },
      }),
      404,
      'NOT_FOUND',
    );
  });
});
