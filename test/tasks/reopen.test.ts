import { expect, it } from 'vitest';
import { addMember, createUser, expectError } from '../helpers/factories.js';
import { describeEachDialect, type TestApp } from '../helpers/harness.js';
import { createTask, ok, ownProject } from './fixtures.js';

async function claimedTask(t: TestApp) {
  const f = await ownProject(t);
  const colleague = await createUser(t, { name: 'Colleague' });
  await addMember(t, f.owner, f.workspace, colleague, 'team_member');
  const task = await createTask(t, f.owner, f.project.id);
  const claimed = ok(await t.request('POST', `/api/v1/tasks/${task.id}/claim`, { token: f.owner.token }));
  return { ...f, colleague, task: claimed };
}

describeEachDialect('tasks: reopening releases the claim', (app) => {
  it('claim → complete → back to todo releases the claim in the same change, so a colleague can claim it', async () => {
    const { owner, colleague, task, workspace } = await claimedTask(app());
    ok(await app().request('POST', `/api/v1/tasks/${task.id}/complete`, { token: owner.token }));
    const reopened = ok(await app().request('PATCH', `/api/v1/tasks/${task.id}`, { token: owner.token, body: { status: 'todo' } }));
    expect(reopened).toMatchObject({ status: 'todo', claimedBy: null, claimedAt: null, completedAt: null, version: 4 });
    const event = ok(await app().request('GET', `/api/v1/workspaces/${workspace.id}/events?limit=1`, { token: owner.token })).items[0];
    expect(event).toMatchObject({ type: 'task.updated', data: { status: 'todo', claimedBy: null } });

    const taken = ok(await app().request('POST', `/api/v1/tasks/${task.id}/claim`, { token: colleague.token }));
    expect(taken).toMatchObject({ status: 'in_progress', claimedBy: { type: 'user', id: colleague.id } });
  });

  it('moving a claimed in-progress task back to todo releases it too', async () => {
    const { owner, colleague, task } = await claimedTask(app());
    expect(
      ok(await app().request('PATCH', `/api/v1/tasks/${task.id}`, { token: owner.token, body: { status: 'todo' } })).claimedBy,
    ).toBeNull();
    expect(ok(await app().request('POST', `/api/v1/tasks/${task.id}/claim`, { token: colleague.token })).claimedBy.id).toBe(colleague.id);
  });

  it('blocked keeps the claim; the claimant claiming again resumes it (in_progress), others still get 409', async () => {
    const { owner, colleague, task } = await claimedTask(app());
    const blocked = ok(await app().request('PATCH', `/api/v1/tasks/${task.id}`, { token: owner.token, body: { status: 'blocked' } }));
    expect(blocked).toMatchObject({ status: 'blocked', claimedBy: { type: 'user', id: owner.id }, claimedAt: task.claimedAt });
    expectError(await app().request('POST', `/api/v1/tasks/${task.id}/claim`, { token: colleague.token }), 409, 'TASK_ALREADY_CLAIMED');

    const resumed = ok(await app().request('POST', `/api/v1/tasks/${task.id}/claim`, { token: owner.token }));
    expect(resumed).toMatchObject({
      status: 'in_progress',
      claimedBy: { type: 'user', id: owner.id },
      claimedAt: task.claimedAt,
      version: blocked.version + 1,
    });
    expect(ok(await app().request('POST', `/api/v1/tasks/${task.id}/claim`, { token: owner.token }))).toEqual(resumed);
  });

  it('the claimant claiming a task they completed answers 409 and leaves it done', async () => {
    const { owner, task } = await claimedTask(app());
    const done = ok(await app().request('POST', `/api/v1/tasks/${task.id}/complete`, { token: owner.token }));
    expectError(await app().request('POST', `/api/v1/tasks/${task.id}/claim`, { token: owner.token }), 409, 'CONFLICT');
    expect(ok(await app().request('GET', `/api/v1/tasks/${task.id}`, { token: owner.token }))).toEqual(done);
  });

  it('a custom status listed before in_progress is not started (releases); one listed after keeps the claim', async () => {
    const { owner, colleague, task, workspace } = await claimedTask(app());
    const statuses = [
      ['backlog', 'Backlog'],
      ['todo', 'To do'],
      ['in_progress', 'Doing'],
      ['review', 'Review'],
      ['done', 'Done'],
    ].map(([key, name]) => ({ key, name }));
    ok(await app().request('PUT', `/api/v1/workspaces/${workspace.id}/task-statuses`, { token: owner.token, body: { statuses } }));
    expect(
      ok(await app().request('PATCH', `/api/v1/tasks/${task.id}`, { token: owner.token, body: { status: 'review' } })).claimedBy.id,
    ).toBe(owner.id);
    expect(
      ok(await app().request('PATCH', `/api/v1/tasks/${task.id}`, { token: owner.token, body: { status: 'backlog' } })).claimedBy,
    ).toBeNull();
    expect(ok(await app().request('POST', `/api/v1/tasks/${task.id}/claim`, { token: colleague.token })).claimedBy.id).toBe(colleague.id);
  });
});
