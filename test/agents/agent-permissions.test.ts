import { expect, it } from 'vitest';
import { createUser, createWorkspace, expectError, type TestWorkspace } from '../helpers/factories.js';
import { describeEachDialect, type TestApp } from '../helpers/harness.js';
import { registerAgent, type RegisteredAgent } from './helpers.js';
import { createProjectWithTasks, type TaskFixture } from './task-fixtures.js';

interface World {
  workspace: TestWorkspace;
  agent: RegisteredAgent;
  fixture: TaskFixture;
  taskId: string;
}

type Call = [method: string, path: string, body?: unknown];

async function world(t: TestApp): Promise<World> {
  const owner = await createUser(t);
  const workspace = await createWorkspace(t, owner);
  const fixture = await createProjectWithTasks(t, owner, workspace);
  const agent = await registerAgent(t, owner.token, workspace);
  return { workspace, agent, fixture, taskId: fixture.taskIds[0]! };
}

// What an agent token may do (issue 5), one row each.
const ALLOWED: Record<string, (w: World) => Call> = {
  'list tasks': (w) => ['GET', `/api/v1/tasks?projectId=${w.fixture.projectId}`],
  'get a task': (w) => ['GET', `/api/v1/tasks/${w.taskId}`],
  'claim a task': (w) => ['POST', `/api/v1/tasks/${w.taskId}/claim`],
  'complete a task': (w) => ['POST', `/api/v1/tasks/${w.taskId}/complete`, { resultNote: 'Done by a bot' }],
  'move a task to another status': (w) => ['PATCH', `/api/v1/tasks/${w.taskId}`, { status: 'blocked' }],
  'update a task': (w) => ['PATCH', `/api/v1/tasks/${w.taskId}`, { title: 'Retitled by a bot', priority: 'high' }],
  'list projects': (w) => ['GET', `/api/v1/projects?workspaceId=${w.workspace.id}`],
  'list agents': (w) => ['GET', `/api/v1/workspaces/${w.workspace.id}/agents`],
};

// What it may not do, with the 403 message saying so.
const REFUSED: Record<string, { call: (w: World) => Call; message: string }> = {
  'create tasks': {
    call: (w) => ['POST', '/api/v1/tasks', { projectId: w.fixture.projectId, title: 'Sneaky' }],
    message: 'Agent tokens cannot create tasks',
  },
  'create projects': {
    call: (w) => ['POST', '/api/v1/projects', { spaceId: w.fixture.spaceId, name: 'Sneaky' }],
    message: 'Agent tokens cannot create, edit or delete projects',
  },
  'delete projects': {
    call: (w) => ['DELETE', `/api/v1/projects/${w.fixture.projectId}`],
    message: 'Agent tokens cannot create, edit or delete projects',
  },
  'delete tasks': { call: (w) => ['DELETE', `/api/v1/tasks/${w.taskId}`], message: 'Agent tokens cannot delete tasks' },
  'register agents': {
    call: (w) => ['POST', `/api/v1/workspaces/${w.workspace.id}/agents`, { name: 'Clone' }],
    message: 'Agent tokens cannot create agents',
  },
  'view workspace settings': {
    call: (w) => ['GET', `/api/v1/workspaces/${w.workspace.id}`],
    message: 'Agent tokens cannot view workspace settings',
  },
  "view members' details": {
    call: (w) => ['GET', `/api/v1/workspaces/${w.workspace.id}/members`],
    message: "Agent tokens cannot view members' details",
  },
  'view webhooks': { call: (w) => ['GET', `/api/v1/workspaces/${w.workspace.id}/webhooks`], message: 'Agent tokens cannot view webhooks' },
  'manage webhooks': {
    call: (w) => ['POST', `/api/v1/workspaces/${w.workspace.id}/webhooks`, { url: 'https://example.com/hook', events: ['*'] }],
    message: 'Agent tokens cannot manage webhooks',
  },
};

const TOKEN_ROUTES: Record<string, (w: World) => Call> = {
  'list workspace tokens': (w) => ['GET', `/api/v1/workspaces/${w.workspace.id}/access-tokens`],
  'create workspace tokens': (w) => ['POST', `/api/v1/workspaces/${w.workspace.id}/access-tokens`, { label: 'x', scope: 'owner' }],
  'create personal tokens': () => ['POST', '/api/v1/tokens', { name: 'x' }],
};

async function call(t: TestApp, token: string, [method, path, body]: Call) {
  return t.request(method, path, { token, body });
}

describeEachDialect('agents: what an agent token may and may not do', (app) => {
  for (const [name, request] of Object.entries(ALLOWED)) {
    it(`may ${name}`, async () => {
      const w = await world(app());
      const res = await call(app(), w.agent.token, request(w));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    });
  }

  for (const [name, { call: request, message }] of Object.entries(REFUSED)) {
    it(`may not ${name}: 403 "${message}"`, async () => {
      const w = await world(app());
      const before = await app().ctx.db.selectFrom('events').select('id').where('workspace_id', '=', w.workspace.id).execute();
      const res = await call(app(), w.agent.token, request(w));
      expectError(res, 403, 'AGENT_NOT_ALLOWED');
      expect(res.body.error).toBe(message);
      const after = await app().ctx.db.selectFrom('events').select('id').where('workspace_id', '=', w.workspace.id).execute();
      expect(after).toHaveLength(before.length);
    });
  }

  it('may not manage tokens of any kind: 403 saying tokens cannot manage tokens', async () => {
    const w = await world(app());
    for (const request of Object.values(TOKEN_ROUTES)) {
      const res = await call(app(), w.agent.token, request(w));
      expect(res.status, JSON.stringify(res.body)).toBe(403);
      expect(res.body.error).toMatch(/tokens cannot manage tokens/i);
    }
  });

  it('a claim assigns the agent; the task, its events and the list name the agent', async () => {
    const w = await world(app());
    const claimed = await call(app(), w.agent.token, ['POST', `/api/v1/tasks/${w.taskId}/claim`]);
    expect(claimed.body).toMatchObject({
      status: 'in_progress',
      claimedBy: { type: 'agent', id: w.agent.id },
      assignees: [{ type: 'agent', id: w.agent.id, name: w.agent.name }],
      updatedBy: { type: 'agent', id: w.agent.id },
    });
    const done = await call(app(), w.agent.token, ['POST', `/api/v1/tasks/${w.taskId}/complete`, { resultNote: 'Shipped' }]);
    expect(done.body).toMatchObject({ status: 'done', resultNote: 'Shipped' });
    const mine = await call(app(), w.agent.token, ['GET', `/api/v1/tasks?projectId=${w.fixture.projectId}&assignee=${w.agent.id}`]);
    expect(mine.body.items.map((task: { id: string }) => task.id)).toEqual([w.taskId]);
    const events = await app()
      .ctx.db.selectFrom('events')
      .select(['type', 'actor_type', 'actor_id'])
      .where('resource_id', '=', w.taskId)
      .where('type', 'in', ['task.claimed', 'task.completed'])
      .orderBy('seq')
      .execute();
    expect(events).toEqual([
      { type: 'task.claimed', actor_type: 'agent', actor_id: w.agent.id },
      { type: 'task.completed', actor_type: 'agent', actor_id: w.agent.id },
    ]);
  });

  it("cannot reach another workspace's tasks (404)", async () => {
    const w = await world(app());
    const other = await world(app());
    expectError(await call(app(), w.agent.token, ['GET', `/api/v1/tasks/${other.taskId}`]), 404, 'NOT_FOUND');
    expectError(await call(app(), w.agent.token, ['POST', `/api/v1/tasks/${other.taskId}/claim`]), 404, 'NOT_FOUND');
    const task = await app().ctx.db.selectFrom('tasks').select('claimed_by_id').where('id', '=', other.taskId).executeTakeFirst();
    expect(task?.claimed_by_id).toBeNull();
  });
});
