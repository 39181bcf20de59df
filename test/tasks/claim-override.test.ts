import { expect, it } from 'vitest';
import type { Role } from '../../src/authz/roles.js';
import { addMember, createUser, expectError, type TestUser } from '../helpers/factories.js';
import { describeEachDialect, type HttpResult, type TestApp } from '../helpers/harness.js';
import { createAgent, createTask, ok, ownProject } from './fixtures.js';

/** A task claimed by agent Ada, with a second agent and a member of the given role at hand. */
async function claimedByAda(t: TestApp, role: Role = 'team_member') {
  const f = await ownProject(t);
  const member = await createUser(t, { name: role });
  await addMember(t, f.owner, f.workspace, member, role);
  const ada = await createAgent(t, f.owner, f.workspace.id, 'Ada');
  const grace = await createAgent(t, f.owner, f.workspace.id, 'Grace');
  const created = await createTask(t, f.owner, f.project.id);
  const task = ok(await t.request('POST', `/api/v1/tasks/${created.id}/claim`, { token: ada.token }));
  return { ...f, member, ada, grace, task };
}

/** Every way to complete or release a task, as one caller. */
function overridingRequests(t: TestApp, taskId: string, claimantId: string, token: string): Array<() => Promise<HttpResult>> {
  return [
    () => t.request('POST', `/api/v1/tasks/${taskId}/complete`, { token, body: {} }),
    () => t.request('POST', `/api/v1/tasks/${taskId}/release`, { token, body: {} }),
    () => t.request('DELETE', `/api/v1/tasks/${taskId}/assignees/${claimantId}`, { token }),
    () => t.request('PATCH', `/api/v1/tasks/${taskId}`, { token, body: { status: 'todo' } }),
    () => t.request('PATCH', `/api/v1/tasks/${taskId}`, { token, body: { status: 'done' } }),
  ];
}

async function latestEvent(t: TestApp, owner: TestUser, workspaceId: string) {
  return ok(await t.request('GET', `/api/v1/workspaces/${workspaceId}/events?limit=1`, { token: owner.token })).items[0];
}

describeEachDialect('tasks: only the claimant completes or releases a claimed task', (app) => {
  it('another agent or a member cannot complete, release or unassign the claimant: 409 naming who holds it, nothing changes', async () => {
    const { owner, workspace, member, ada, grace, task } = await claimedByAda(app());
    const before = await latestEvent(app(), owner, workspace.id);
    for (const token of [grace.token, member.token]) {
      for (const send of overridingRequests(app(), task.id, ada.id, token)) {
        const res = await send();
        expectError(res, 409, 'TASK_CLAIMED_BY_OTHER');
        expect(res.body.claimedBy).toEqual({ type: 'agent', id: ada.id });
      }
    }
    expect(ok(await app().request('GET', `/api/v1/tasks/${task.id}`, { token: owner.token }))).toMatchObject({
      status: 'in_progress',
      version: task.version,
      claimedBy: { type: 'agent', id: ada.id },
    });
    expect(await latestEvent(app(), owner, workspace.id)).toEqual(before);
  });

  it('the claimant completes its own task, recorded without an override', async () => {
    const { owner, workspace, ada, task } = await claimedByAda(app());
    expect(ok(await app().request('POST', `/api/v1/tasks/${task.id}/complete`, { token: ada.token, body: {} })).status).toBe('done');
    const event = await latestEvent(app(), owner, workspace.id);
    expect(event).toMatchObject({ type: 'task.completed', actor: { type: 'agent', id: ada.id } });
    expect(event.data).not.toHaveProperty('override');
  });

  it('a workspace manager may complete over the claim: the event records the override and the previous claimant', async () => {
    const { owner, workspace, member, ada, task } = await claimedByAda(app(), 'workspace_manager');
    expect(ok(await app().request('POST', `/api/v1/tasks/${task.id}/complete`, { token: member.token, body: {} })).status).toBe('done');
    expect(await latestEvent(app(), owner, workspace.id)).toMatchObject({
      type: 'task.completed',
      actor: { type: 'user', id: member.id },
      data: { override: true, previousClaimant: { type: 'agent', id: ada.id } },
    });
  });

  it('a workspace manager may release or reassign: unassigning the claimant records the override', async () => {
    const { owner, workspace, member, ada, grace, task } = await claimedByAda(app(), 'workspace_manager');
    expect((await app().request('DELETE', `/api/v1/tasks/${task.id}/assignees/${ada.id}`, { token: member.token })).status).toBe(204);
    expect(await latestEvent(app(), owner, workspace.id)).toMatchObject({
      type: 'task.unassigned',
      data: { claimedBy: null, override: true, previousClaimant: { type: 'agent', id: ada.id }, assignee: { type: 'agent', id: ada.id } },
    });
    ok(await app().request('POST', `/api/v1/tasks/${task.id}/assignees`, { token: member.token, body: { agentId: grace.id } }));
    expect(ok(await app().request('POST', `/api/v1/tasks/${task.id}/claim`, { token: grace.token })).claimedBy).toEqual({
      type: 'agent',
      id: grace.id,
    });
  });

  it('the owner releases through the release route, recorded as an override', async () => {
    const { owner, workspace, ada, task } = await claimedByAda(app());
    const released = ok(await app().request('POST', `/api/v1/tasks/${task.id}/release`, { token: owner.token, body: {} }));
    expect(released).toMatchObject({ status: 'todo', claimedBy: null, assignees: [] });
    expect(await latestEvent(app(), owner, workspace.id)).toMatchObject({
      type: 'task.released',
      data: { override: true, previousClaimant: { type: 'agent', id: ada.id } },
    });
  });

  it('once done, the claim is history: a team member may reopen the task without an override', async () => {
    const { owner, workspace, member, ada, task } = await claimedByAda(app());
    ok(await app().request('POST', `/api/v1/tasks/${task.id}/complete`, { token: ada.token, body: {} }));
    expect(
      ok(await app().request('PATCH', `/api/v1/tasks/${task.id}`, { token: member.token, body: { status: 'todo' } })).claimedBy,
    ).toBeNull();
    expect((await latestEvent(app(), owner, workspace.id)).data).not.toHaveProperty('override');
  });
});
