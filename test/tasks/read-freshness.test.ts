import { expect, it } from 'vitest';
import { addMember, createUser } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { createAgent, createLabel, createTask, ok, ownProject } from './fixtures.js';

// On SQLite a task read is answered from memory while nothing behind it changes: every change that
// shows in the answer must show on the very next read, whichever route made it.
describeEachDialect('tasks: a read reflects every change on the very next read', (app) => {
  it('repeated reads give the same answer and ETag, and an edit shows at once', async () => {
    const { owner, project } = await ownProject(app());
    const task = await createTask(app(), owner, project.id, { title: 'First' });
    const read = () => app().request('GET', `/api/v1/tasks/${task.id}`, { token: owner.token });

    const first = await read();
    const second = await read();
    expect(second.text).toBe(first.text);
    expect(second.headers.get('etag')).toBe('"1"');
    expect(second.headers.get('content-type')).toBe('application/json; charset=utf-8');

    ok(await app().request('PATCH', `/api/v1/tasks/${task.id}`, { token: owner.token, body: { title: 'Second' } }));
    const edited = await read();
    expect(edited.body).toMatchObject({ title: 'Second', version: 2 });
    expect(edited.headers.get('etag')).toBe('"2"');
  });

  it('shows a new label, a renamed label and a deleted one', async () => {
    const { owner, workspace, project } = await ownProject(app());
    const task = await createTask(app(), owner, project.id);
    const label = await createLabel(app(), owner, workspace.id, 'Bug');
    const labels = async () => ok(await app().request('GET', `/api/v1/tasks/${task.id}`, { token: owner.token })).labels;

    expect(await labels()).toEqual([]);
    ok(await app().request('POST', `/api/v1/tasks/${task.id}/labels`, { token: owner.token, body: { labelId: label.id } }));
    expect(await labels()).toEqual([{ id: label.id, name: 'Bug', color: label.color }]);
    // Renaming the label changes neither the task's row nor its version, only what the read joins.
    ok(await app().request('PATCH', `/api/v1/labels/${label.id}`, { token: owner.token, body: { name: 'Defect', color: '#ff0000' } }));
    expect(await labels()).toEqual([{ id: label.id, name: 'Defect', color: '#ff0000' }]);
    expect((await app().request('DELETE', `/api/v1/labels/${label.id}`, { token: owner.token })).status).toBe(204);
    expect(await labels()).toEqual([]);
  });

  it("shows assignees as they come and go, and an agent's new name", async () => {
    const { owner, workspace, project } = await ownProject(app());
    const ada = await createUser(app(), { name: 'Ada' });
    await addMember(app(), owner, workspace, ada, 'team_member');
    const agent = await createAgent(app(), owner, workspace.id, 'Build bot');
    const task = await createTask(app(), owner, project.id);
    const assignees = async () => ok(await app().request('GET', `/api/v1/tasks/${task.id}`, { token: owner.token })).assignees;

    expect(await assignees()).toEqual([]);
    ok(await app().request('POST', `/api/v1/tasks/${task.id}/assignees`, { token: owner.token, body: { userId: ada.id } }));
    ok(await app().request('POST', `/api/v1/tasks/${task.id}/assignees`, { token: owner.token, body: { agentId: agent.id } }));
    expect(await assignees()).toEqual([
      { type: 'user', id: ada.id, name: 'Ada' },
      { type: 'agent', id: agent.id, name: 'Build bot' },
    ]);
    ok(await app().request('PATCH', `/api/v1/agents/${agent.id}`, { token: owner.token, body: { name: 'Release bot' } }));
    expect(await assignees()).toEqual([
      { type: 'user', id: ada.id, name: 'Ada' },
      { type: 'agent', id: agent.id, name: 'Release bot' },
    ]);
    expect((await app().request('DELETE', `/api/v1/tasks/${task.id}/assignees/${ada.id}`, { token: owner.token })).status).toBe(204);
    expect(await assignees()).toEqual([{ type: 'agent', id: agent.id, name: 'Release bot' }]);
  });

  it('a deleted task is gone on the next read', async () => {
    const { owner, project } = await ownProject(app());
    const task = await createTask(app(), owner, project.id);
    ok(await app().request('GET', `/api/v1/tasks/${task.id}`, { token: owner.token }));
    expect((await app().request('DELETE', `/api/v1/tasks/${task.id}`, { token: owner.token })).status).toBe(204);
    expect((await app().request('GET', `/api/v1/tasks/${task.id}`, { token: owner.token })).status).toBe(404);
  });
});
