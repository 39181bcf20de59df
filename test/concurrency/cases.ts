import type { TestUser, TestWorkspace } from '../helpers/factories.js';
import type { TestApp } from '../helpers/harness.js';
import { createAgent, createLabel, createPersonalToken, createTask, createWorkspaceToken, ok, ownProject } from '../tasks/fixtures.js';
import { auditCount, duplicates, eventCount, PARALLEL, type PreparedRace, type RaceCase } from './race.js';

/** Parallel DELETEs of one resource: one 204, the rest 404, and one record of each kind `records` counts. */
function deletions(t: TestApp, by: TestUser, path: string, records: PreparedRace['records']): PreparedRace {
  return {
    senders: duplicates(() => t.request('DELETE', path, { token: by.token })),
    winner: 204,
    losers: { status: 404, code: 'NOT_FOUND' },
    records,
  };
}

/** Counts, per event type, the workspace's events about one resource. */
function eventsAbout(t: TestApp, owner: TestUser, workspace: TestWorkspace, resourceIds: Record<string, string>): PreparedRace['records'] {
  return async () => {
    const counts: Record<string, number> = {};
    for (const [type, id] of Object.entries(resourceIds)) counts[type] = await eventCount(t, owner, workspace, type, id);
    return counts;
  };
}

/** A fresh tenant with a task claimed by an agent. */
async function claimedTask(t: TestApp) {
  const f = await ownProject(t);
  const agent = await createAgent(t, f.owner, f.workspace.id, 'Ada');
  const task = await createTask(t, f.owner, f.project.id);
  ok(await t.request('POST', `/api/v1/tasks/${task.id}/claim`, { token: agent.token }));
  return { ...f, agent, task };
}

/**
 * Every create-with-a-unique-name, delete and claim route, hit by parallel duplicates. Add a row for a
 * new route (memberships: `POST /workspaces/{id}/members` with one email, `DELETE …/members/{userId}`).
 */
export const RACES: RaceCase[] = [
  {
    name: 'POST /workspaces/{id}/labels with one name',
    async prepare(t) {
      const { owner, workspace } = await ownProject(t);
      return {
        senders: duplicates(() =>
          t.request('POST', `/api/v1/workspaces/${workspace.id}/labels`, { token: owner.token, body: { name: 'Urgent' } }),
        ),
        winner: 201,
        losers: { status: 409, code: 'CONFLICT' },
        records: async () => ({ 'label.created': await eventCount(t, owner, workspace, 'label.created') }),
      };
    },
  },
  {
    name: 'DELETE /tasks/{id}',
    async prepare(t) {
      const { owner, workspace, project } = await ownProject(t);
      const task = await createTask(t, owner, project.id);
      return deletions(t, owner, `/api/v1/tasks/${task.id}`, eventsAbout(t, owner, workspace, { 'task.deleted': task.id }));
    },
  },
  {
    name: 'DELETE /labels/{id}',
    async prepare(t) {
      const { owner, workspace } = await ownProject(t);
      const label = await createLabel(t, owner, workspace.id);
      return deletions(t, owner, `/api/v1/labels/${label.id}`, eventsAbout(t, owner, workspace, { 'label.deleted': label.id }));
    },
  },
  {
    name: 'DELETE /projects/{id} (with a task in it)',
    async prepare(t) {
      const { owner, workspace, project } = await ownProject(t);
      const task = await createTask(t, owner, project.id);
      const records = eventsAbout(t, owner, workspace, { 'project.deleted': project.id, 'task.deleted': task.id });
      return deletions(t, owner, `/api/v1/projects/${project.id}`, records);
    },
  },
  {
    name: 'DELETE /spaces/{id}',
    async prepare(t) {
      const { owner, workspace } = await ownProject(t);
      const space = ok(
        await t.request('POST', `/api/v1/workspaces/${workspace.id}/spaces`, { token: owner.token, body: { name: 'Empty' } }),
        201,
      );
      return deletions(t, owner, `/api/v1/spaces/${space.id}`, eventsAbout(t, owner, workspace, { 'space.deleted': space.id }));
    },
  },
  {
    name: 'DELETE /agents/{id} (holding a claim)',
    async prepare(t) {
      const { owner, workspace, agent, task } = await claimedTask(t);
      const records = eventsAbout(t, owner, workspace, { 'agent.deleted': agent.id, 'task.unassigned': task.id });
      return deletions(t, owner, `/api/v1/agents/${agent.id}`, records);
    },
  },
  {
    name: 'DELETE /webhooks/{id}',
    async prepare(t) {
      const { owner, workspace } = await ownProject(t);
      const body = { url: 'http://127.0.0.1:9/hook', events: ['*'] };
      const webhook = ok(await t.request('POST', `/api/v1/workspaces/${workspace.id}/webhooks`, { token: owner.token, body }), 201);
      return deletions(t, owner, `/api/v1/webhooks/${webhook.id}`, async () => ({
        'webhook.deleted': await auditCount(t, 'webhook.deleted', webhook.id),
      }));
    },
  },
  {
    name: 'DELETE /workspaces/{id}/access-tokens/{tokenId}',
    async prepare(t) {
      const { owner, workspace } = await ownProject(t);
      await createWorkspaceToken(t, owner, workspace.id, 'viewer');
      const [token] = ok(await t.request('GET', `/api/v1/workspaces/${workspace.id}/access-tokens`, { token: owner.token })).items;
      const records = eventsAbout(t, owner, workspace, { 'access_token.deleted': token.id });
      return deletions(t, owner, `/api/v1/workspaces/${workspace.id}/access-tokens/${token.id}`, records);
    },
  },
  {
    // Revoking a revoked token changes nothing (204 again), so every answer is 204; it is revoked once.
    name: 'DELETE /tokens/{id}',
    async prepare(t) {
      const { owner } = await ownProject(t);
      await createPersonalToken(t, owner);
      const [token] = ok(await t.request('GET', '/api/v1/tokens', { token: owner.token })).items;
      return {
        senders: duplicates(() => t.request('DELETE', `/api/v1/tokens/${token.id}`, { token: owner.token })),
        winner: 204,
        losers: { status: 204 },
        records: async () => ({ 'token.revoked': await auditCount(t, 'token.revoked', token.id) }),
      };
    },
  },
  {
    // Revoking a revoked delegated token changes nothing (204 again); it is revoked, and audited, once.
    name: 'DELETE /delegated-tokens/{id}',
    async prepare(t) {
      const { owner } = await ownProject(t);
      const { token } = ok(await t.request('POST', '/api/v1/tokens', { token: owner.token, body: { name: 'root' } }), 201);
      const { id } = ok(await t.request('POST', '/api/v1/me/delegate', { token, body: {} }), 201);
      return {
        senders: duplicates(() => t.request('DELETE', `/api/v1/delegated-tokens/${id}`, { token: owner.token })),
        winner: 204,
        losers: { status: 204 },
        records: async () => ({ 'delegated_token.revoked': await auditCount(t, 'delegated_token.revoked', id) }),
      };
    },
  },
  {
    // Revoking a revoked token answers it again (200), so every answer is 200; it is revoked, and recorded, once.
    name: 'POST /workspaces/{id}/token-inventory/{kind}/{tokenId}/revoke',
    async prepare(t) {
      const { owner, workspace } = await ownProject(t);
      await createWorkspaceToken(t, owner, workspace.id, 'viewer');
      const [token] = ok(await t.request('GET', `/api/v1/workspaces/${workspace.id}/access-tokens`, { token: owner.token })).items;
      const path = `/api/v1/workspaces/${workspace.id}/token-inventory/workspace/${token.id}/revoke`;
      return {
        senders: duplicates(() => t.request('POST', path, { token: owner.token })),
        winner: 200,
        losers: { status: 200 },
        records: eventsAbout(t, owner, workspace, { 'access_token.revoked': token.id }),
      };
    },
  },
  {
    name: `POST /tasks/{id}/claim by ${PARALLEL} agents`,
    async prepare(t) {
      const { owner, workspace, project } = await ownProject(t);
      const task = await createTask(t, owner, project.id);
      const agents = [];
      for (let i = 0; i < PARALLEL; i++) agents.push(await createAgent(t, owner, workspace.id, `Agent ${i}`));
      return {
        senders: agents.map((agent) => () => t.request('POST', `/api/v1/tasks/${task.id}/claim`, { token: agent.token, body: {} })),
        winner: 200,
        losers: { status: 409, code: 'TASK_ALREADY_CLAIMED' },
        records: eventsAbout(t, owner, workspace, { 'task.claimed': task.id }),
      };
    },
  },
  {
    // Claiming your own claimed task again changes nothing: every answer is the task, claimed once.
    name: 'POST /tasks/{id}/claim by one agent, repeated',
    async prepare(t) {
      const { owner, workspace, project } = await ownProject(t);
      const task = await createTask(t, owner, project.id);
      const agent = await createAgent(t, owner, workspace.id);
      return {
        senders: duplicates(() => t.request('POST', `/api/v1/tasks/${task.id}/claim`, { token: agent.token, body: {} })),
        winner: 200,
        losers: { status: 200 },
        records: eventsAbout(t, owner, workspace, { 'task.claimed': task.id }),
      };
    },
  },
  {
    name: 'POST /tasks/{id}/complete by the claimant, repeated',
    async prepare(t) {
      const { owner, workspace, agent, task } = await claimedTask(t);
      return {
        senders: duplicates(() => t.request('POST', `/api/v1/tasks/${task.id}/complete`, { token: agent.token, body: {} })),
        winner: 200,
        losers: { status: 409, code: 'CONFLICT' },
        records: eventsAbout(t, owner, workspace, { 'task.completed': task.id }),
      };
    },
  },
  {
    name: 'POST /tasks/{id}/release by the claimant, repeated',
    async prepare(t) {
      const { owner, workspace, agent, task } = await claimedTask(t);
      return {
        senders: duplicates(() => t.request('POST', `/api/v1/tasks/${task.id}/release`, { token: agent.token, body: {} })),
        winner: 200,
        losers: { status: 409, code: 'CONFLICT' },
        records: eventsAbout(t, owner, workspace, { 'task.released': task.id }),
      };
    },
  },
];
