import { expect, it } from 'vitest';
import { addMember, createUser, expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { createAgent, createTask, ok, ownProject } from './fixtures.js';

describeEachDialect('tasks: assignees', (app) => {
  it('assigns members by user id, shows them as {type, id, name}, and unassigns them, with events', async () => {
    const { owner, workspace, project } = await ownProject(app());
    const ada = await createUser(app(), { name: 'Ada' });
    await addMember(app(), owner, workspace, ada, 'viewer');
    const task = await createTask(app(), owner, project.id);

    const assigned = ok(
      await app().request('POST', `/api/v1/tasks/${task.id}/assignees`, { token: owner.token, body: { userId: ada.id } }),
    );
    expect(assigned.assignees).toEqual([{ type: 'user', id: ada.id, name: 'Ada' }]);
    expect(assigned.version).toBe(2);
    const again = ok(await app().request('POST', `/api/v1/tasks/${task.id}/assignees`, { token: owner.token, body: { userId: ada.id } }));
    expect(again).toEqual(assigned);
    const two = ok(await app().request('POST', `/api/v1/tasks/${task.id}/assignees`, { token: owner.token, body: { userId: owner.id } }));
    expect(two.assignees.map((a: { id: string }) => a.id)).toEqual([ada.id, owner.id]);

    expect((await app().request('DELETE', `/api/v1/tasks/${task.id}/assignees/${ada.id}`, { token: owner.token })).status).toBe(204);
    expectError(await app().request('DELETE', `/api/v1/tasks/${task.id}/assignees/${ada.id}`, { token: owner.token }), 404, 'NOT_FOUND');
    expect(ok(await app().request('GET', `/api/v1/tasks/${task.id}`, { token: owner.token })).assignees).toEqual([
      { type: 'user', id: owner.id, name: 'Owner' },
    ]);

    const events = ok(await app().request('GET', `/api/v1/workspaces/${workspace.id}/events?limit=200`, { token: owner.token }));
    const mine = events.items.filter((e: { resourceId: string }) => e.resourceId === task.id).reverse();
    expect(mine.map((e: { type: string }) => e.type)).toEqual(['task.created', 'task.assigned', 'task.assigned', 'task.unassigned']);
    expect(mine[1].data.assignee).toEqual({ type: 'user', id: ada.id, name: 'Ada' });
    expect(mine[3].data.assignee).toEqual({ type: 'user', id: ada.id });
  });

  it('refuses to assign someone outside the workspace, or nobody at all, with 400 ASSIGNEE_NOT_MEMBER', async () => {
    const { owner, project } = await ownProject(app());
    const task = await createTask(app(), owner, project.id);
    const stranger = await createUser(app());
    for (const userId of [stranger.id, 'usr_nobody']) {
      const res = await app().request('POST', `/api/v1/tasks/${task.id}/assignees`, { token: owner.token, body: { userId } });
      expectError(res, 400, 'ASSIGNEE_NOT_MEMBER');
    }
    expect(ok(await app().request('GET', `/api/v1/tasks/${task.id}`, { token: owner.token }))).toEqual(task);
  });

  it('filters by assignee, and shows agents that claimed a task by name', async () => {
    const { owner, workspace, project } = await ownProject(app());
    const agent = await createAgent(app(), owner, workspace.id, 'Triage bot');
    const mineTask = await createTask(app(), owner, project.id, { title: 'mine' });
    const botTask = await createTask(app(), owner, project.id, { title: 'bot' });
    ok(await app().request('POST', `/api/v1/tasks/${mineTask.id}/assignees`, { token: owner.token, body: { userId: owner.id } }));
    const claimed = ok(await app().request('POST', `/api/v1/tasks/${botTask.id}/claim`, { token: agent.token }));
    expect(claimed.assignees).toEqual([{ type: 'agent', id: agent.id, name: 'Triage bot' }]);

    const byUser = ok(await app().request('GET', `/api/v1/tasks?projectId=${project.id}&assignee=${owner.id}`, { token: owner.token }));
    expect(byUser.items.map((t: { id: string }) => t.id)).toEqual([mineTask.id]);
    const byAgent = ok(await app().request('GET', `/api/v1/tasks?projectId=${project.id}&assignee=${agent.id}`, { token: owner.token }));
    expect(byAgent.items.map((t: { id: string }) => t.id)).toEqual([botTask.id]);
    const agentsOwn = ok(await app().request('GET', `/api/v1/tasks?workspaceId=${workspace.id}&assignee=me`, { token: agent.token }));
    expect(agentsOwn.items.map((t: { id: string }) => t.id)).toEqual([botTask.id]);

    // Unassigning the claimant releases the claim, so someone else may take the task.
    expect((await app().request('DELETE', `/api/v1/tasks/${botTask.id}/assignees/${agent.id}`, { token: owner.token })).status).toBe(204);
    const released = ok(await app().request('GET', `/api/v1/tasks/${botTask.id}`, { token: owner.token }));
    expect(released).toMatchObject({ assignees: [], claimedBy: null, claimedAt: null });
    expect(ok(await app().request('POST', `/api/v1/tasks/${botTask.id}/claim`, { token: owner.token })).claimedBy).toEqual({
      type: 'user',
      id: owner.id,
    });
  });
});
