import { expect, it } from 'vitest';
import { createUser, createWorkspace } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { registerAgent } from './helpers.js';
import { createProjectWithTasks } from './task-fixtures.js';

describeEachDialect('agents: the claim race', (app) => {
  it('two agents claim the same task at once: exactly one wins, the other gets 409, on every task', async () => {
    const owner = await createUser(app());
    const workspace = await createWorkspace(app(), owner);
    const { taskIds } = await createProjectWithTasks(app(), owner, workspace, 5);
    const agents = [await registerAgent(app(), owner.token, workspace, 'Ada'), await registerAgent(app(), owner.token, workspace, 'Grace')];

    for (const taskId of taskIds) {
      const results = await Promise.all(
        agents.map((agent) => app().request('POST', `/api/v1/tasks/${taskId}/claim`, { token: agent.token })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = agents[results.findIndex((r) => r.status === 200)]!;
      const loser = results.find((r) => r.status === 409)!;
      expect(loser.body).toMatchObject({ code: 'TASK_ALREADY_CLAIMED', claimedBy: { type: 'agent', id: winner.id } });

      const task = await app().request('GET', `/api/v1/tasks/${taskId}`, { token: owner.token });
      expect(task.body.assignees).toEqual([{ type: 'agent', id: winner.id, name: winner.name }]);
      const claims = await app()
        .ctx.db.selectFrom('events')
        .select('id')
        .where('resource_id', '=', taskId)
        .where('type', '=', 'task.claimed')
        .execute();
      expect(claims).toHaveLength(1);
    }
  });
});
