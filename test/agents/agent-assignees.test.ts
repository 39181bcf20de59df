import { expect, it } from 'vitest';
import { addMember, createUser, createWorkspace, expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { registerAgent } from './helpers.js';
import { createProjectWithTasks } from './task-fixtures.js';

describeEachDialect('agents as assignees', (app) => {
  it('assigns an agent of the workspace by agentId, shown as an agent assignee', async () => {
    const owner = await createUser(app());
    const workspace = await createWorkspace(app(), owner);
    const { taskIds } = await createProjectWithTasks(app(), owner, workspace);
    const agent = await registerAgent(app(), owner.token, workspace, 'Triage bot');
    const res = await app().request('POST', `/api/v1/tasks/${taskIds[0]}/assignees`, { token: owner.token, body: { agentId: agent.id } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.assignees).toEqual([{ type: 'agent', id: agent.id, name: 'Triage bot' }]);
    const mine = await app().request('GET', `/api/v1/tasks?workspaceId=${workspace.id}&assignee=${agent.id}`, { token: agent.token });
    expect(mine.body.items.map((t: { id: string }) => t.id)).toEqual([taskIds[0]]);
  });

  it("refuses another workspace's agent, and a body naming both or neither", async () => {
    const owner = await createUser(app());
    const workspace = await createWorkspace(app(), owner);
    const other = await createWorkspace(app(), owner, { name: 'Other' });
    const { taskIds } = await createProjectWithTasks(app(), owner, workspace);
    const stranger = await registerAgent(app(), owner.token, other);
    const path = `/api/v1/tasks/${taskIds[0]}/assignees`;
    expectError(await app().request('POST', path, { token: owner.token, body: { agentId: stranger.id } }), 400, 'ASSIGNEE_NOT_MEMBER');
    expectError(
      await app().request('POST', path, { token: owner.token, body: { agentId: stranger.id, userId: owner.id } }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(await app().request('POST', path, { token: owner.token, body: {} }), 400, 'VALIDATION_FAILED');
    const task = await app().request('GET', `/api/v1/tasks/${taskIds[0]}`, { token: owner.token });
    expect(task.body.assignees).toEqual([]);
  });

  it('deleting an agent releases its claims and assignments, recorded as task.unassigned', async () => {
    const owner = await createUser(app());
    const workspace = await createWorkspace(app(), owner);
    const { taskIds } = await createProjectWithTasks(app(), owner, workspace, 2);
    const agent = await registerAgent(app(), owner.token, workspace);
    expect((await app().request('POST', `/api/v1/tasks/${taskIds[0]}/claim`, { token: agent.token })).status).toBe(200);
    await app().request('POST', `/api/v1/tasks/${taskIds[1]}/assignees`, { token: owner.token, body: { agentId: agent.id } });
    expect((await app().request('DELETE', `/api/v1/agents/${agent.id}`, { token: owner.token })).status).toBe(204);

    for (const taskId of taskIds) {
      const task = await app().request('GET', `/api/v1/tasks/${taskId}`, { token: owner.token });
      expect(task.body.assignees).toEqual([]);
      expect(task.body.version).toBeGreaterThan(1);
    }
    const other = await createUser(app());
    await addMember(app(), owner, workspace, other, 'team_member');
    expect((await app().request('POST', `/api/v1/tasks/${taskIds[0]}/claim`, { token: other.token })).status).toBe(200);
    const events = await app()
      .ctx.db.selectFrom('events')
      .select('resource_id')
      .where('type', '=', 'task.unassigned')
      .where('workspace_id', '=', workspace.id)
      .execute();
    expect(events.map((e) => e.resource_id).sort()).toEqual([...taskIds].sort());
  });
});
