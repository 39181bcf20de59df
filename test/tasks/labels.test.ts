import { expect, it } from 'vitest';
import { expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { createLabel, createTask, ok, ownProject } from './fixtures.js';

describeEachDialect('labels', (app) => {
  it('creates, lists, edits and deletes labels with label.* events', async () => {
    const { owner, workspace } = await ownProject(app());
    const bug = await createLabel(app(), owner, workspace.id, 'Bug');
    expect(bug).toMatchObject({ workspaceId: workspace.id, name: 'Bug', color: '#6b7280' });
    const docs = ok(
      await app().request('POST', `/api/v1/workspaces/${workspace.id}/labels`, {
        token: owner.token,
        body: { name: 'Docs', color: '#00AAFF' },
      }),
      201,
    );
    expect(docs.color).toBe('#00aaff');

    const list = ok(await app().request('GET', `/api/v1/workspaces/${workspace.id}/labels`, { token: owner.token }));
    expect(list.items.map((l: { name: string }) => l.name)).toEqual(['Bug', 'Docs']);
    const edited = ok(
      await app().request('PATCH', `/api/v1/labels/${bug.id}`, { token: owner.token, body: { name: 'Defect', color: '#ff0000' } }),
    );
    expect(edited).toMatchObject({ id: bug.id, name: 'Defect', color: '#ff0000' });
    expect(ok(await app().request('GET', `/api/v1/labels/${bug.id}`, { token: owner.token }))).toEqual(edited);
    expect((await app().request('DELETE', `/api/v1/labels/${bug.id}`, { token: owner.token })).status).toBe(204);
    expectError(await app().request('GET', `/api/v1/labels/${bug.id}`, { token: owner.token }), 404, 'NOT_FOUND');

    const events = ok(await app().request('GET', `/api/v1/workspaces/${workspace.id}/events?limit=200`, { token: owner.token }));
    const types = events.items
      .filter((e: { resourceId: string }) => e.resourceId === bug.id)
      .map((e: { type: string }) => e.type)
      .reverse();
    expect(types).toEqual(['label.created', 'label.updated', 'label.deleted']);
  });

  it('keeps label names unique per workspace regardless of case (409), but not across workspaces', async () => {
    const { owner, workspace } = await ownProject(app());
    const bug = await createLabel(app(), owner, workspace.id, 'Bug');
    const docs = await createLabel(app(), owner, workspace.id, 'Docs');
    expectError(
      await app().request('POST', `/api/v1/workspaces/${workspace.id}/labels`, { token: owner.token, body: { name: 'bUG' } }),
      409,
      'CONFLICT',
    );
    expectError(await app().request('PATCH', `/api/v1/labels/${docs.id}`, { token: owner.token, body: { name: 'BUG' } }), 409, 'CONFLICT');
    ok(await app().request('PATCH', `/api/v1/labels/${bug.id}`, { token: owner.token, body: { name: 'BUG' } }));
    const other = await ownProject(app());
    await createLabel(app(), other.owner, other.workspace.id, 'Bug');
    const list = ok(await app().request('GET', `/api/v1/workspaces/${workspace.id}/labels`, { token: owner.token }));
    expect(list.items.map((l: { name: string }) => l.name)).toEqual(['BUG', 'Docs']);
  });

  it('labels and unlabels a task; labelling twice changes nothing; deleting a label takes it off tasks', async () => {
    const { owner, workspace, project } = await ownProject(app());
    const task = await createTask(app(), owner, project.id);
    const bug = await createLabel(app(), owner, workspace.id, 'Bug');
    const urgent = await createLabel(app(), owner, workspace.id, 'Urgent');
    const once = ok(await app().request('POST', `/api/v1/tasks/${task.id}/labels`, { token: owner.token, body: { labelId: urgent.id } }));
    expect(once.labels).toEqual([{ id: urgent.id, name: 'Urgent', color: urgent.color }]);
    expect(once.version).toBe(task.version + 1);
    const twice = ok(await app().request('POST', `/api/v1/tasks/${task.id}/labels`, { token: owner.token, body: { labelId: urgent.id } }));
    expect(twice).toEqual(once);
    const both = ok(await app().request('POST', `/api/v1/tasks/${task.id}/labels`, { token: owner.token, body: { labelId: bug.id } }));
    expect(both.labels.map((l: { name: string }) => l.name)).toEqual(['Bug', 'Urgent']);

    expect((await app().request('DELETE', `/api/v1/tasks/${task.id}/labels/${bug.id}`, { token: owner.token })).status).toBe(204);
    expectError(await app().request('DELETE', `/api/v1/tasks/${task.id}/labels/${bug.id}`, { token: owner.token }), 404, 'NOT_FOUND');
    expect((await app().request('DELETE', `/api/v1/labels/${urgent.id}`, { token: owner.token })).status).toBe(204);
    expect(ok(await app().request('GET', `/api/v1/tasks/${task.id}`, { token: owner.token })).labels).toEqual([]);

    const events = ok(await app().request('GET', `/api/v1/workspaces/${workspace.id}/events?limit=200`, { token: owner.token }));
    const taskEvents = events.items.filter((e: { resourceId: string }) => e.resourceId === task.id).reverse();
    expect(taskEvents.map((e: { type: string }) => e.type)).toEqual(['task.created', 'task.labeled', 'task.labeled', 'task.unlabeled']);
    expect(taskEvents[1]).toMatchObject({ projectId: project.id, data: { id: task.id, label: { id: urgent.id, name: 'Urgent' } } });
  });

  it("refuses another workspace's label on a task (404) and hides labels from outsiders", async () => {
    const { owner, project } = await ownProject(app());
    const task = await createTask(app(), owner, project.id);
    const other = await ownProject(app());
    const foreign = await createLabel(app(), other.owner, other.workspace.id, 'Theirs');
    expectError(
      await app().request('POST', `/api/v1/tasks/${task.id}/labels`, { token: owner.token, body: { labelId: foreign.id } }),
      404,
      'NOT_FOUND',
    );
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { name: 'Mine' }],
      ['DELETE', undefined],
    ] as const) {
      const res = await app().request(method, `/api/v1/labels/${foreign.id}`, { token: owner.token, body });
      expectError(res, 404, 'NOT_FOUND');
    }
    expectError(await app().request('GET', `/api/v1/workspaces/${other.workspace.id}/labels`, { token: owner.token }), 404, 'NOT_FOUND');
    expect(ok(await app().request('GET', `/api/v1/tasks/${task.id}`, { token: owner.token })).labels).toEqual([]);
  });
});
