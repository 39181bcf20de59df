import { expect, it } from 'vitest';
import { addMember, createUser, expectError, type TestUser } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { createAgent, createTask, createWorkspaceToken, ok, ownProject } from './fixtures.js';

const CONTENDERS = 12;

describeEachDialect('tasks: claim and complete', (app) => {
  it('claim assigns the caller and moves the task to in_progress; claiming again is harmless', async () => {
    const { owner, project, workspace } = await ownProject(app());
    const task = await createTask(app(), owner, project.id);
    const claimed = ok(await app().request('POST', `/api/v1/tasks/${task.id}/claim`, { token: owner.token }));
    expect(claimed).toMatchObject({
      status: 'in_progress',
      version: 2,
      claimedBy: { type: 'user', id: owner.id },
      claimedAt: expect.any(String),
      assignees: [{ type: 'user', id: owner.id, name: 'Owner' }],
    });
    expect(ok(await app().request('POST', `/api/v1/tasks/${task.id}/claim`, { token: owner.token, body: {} }))).toEqual(claimed);
    const events = ok(await app().request('GET', `/api/v1/workspaces/${workspace.id}/events?type=task.claimed`, { token: owner.token }));
    expect(events.items).toHaveLength(1);
    expect(events.items[0]).toMatchObject({
      actor: { type: 'user', id: owner.id },
      projectId: project.id,
      data: { status: 'in_progress' },
    });
  });

  it(`${CONTENDERS} concurrent claims by different members: exactly one wins, the others get 409 TASK_ALREADY_CLAIMED`, async () => {
    const { owner, project, workspace } = await ownProject(app());
    const members: TestUser[] = [];
    for (let i = 0; i < CONTENDERS; i++) {
      const member = await createUser(app(), { name: `Member ${i}` });
      await addMember(app(), owner, workspace, member, 'team_member');
      members.push(member);
    }
    const task = await createTask(app(), owner, project.id);
    const results = await Promise.all(members.map((m) => app().request('POST', `/api/v1/tasks/${task.id}/claim`, { token: m.token })));

    const winners = results.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    const losers = results.filter((r) => r.status !== 200);
    for (const res of losers) expectError(res, 409, 'TASK_ALREADY_CLAIMED');
    const winner = winners[0]!.body.claimedBy;
    for (const res of losers) expect(res.body.claimedBy).toEqual(winner);

    const final = ok(await app().request('GET', `/api/v1/tasks/${task.id}`, { token: owner.token }));
    expect(final).toMatchObject({ claimedBy: winner, version: 2, status: 'in_progress' });
    expect(final.assignees).toHaveLength(1);
    const events = ok(await app().request('GET', `/api/v1/workspaces/${workspace.id}/events?type=task.claimed`, { token: owner.token }));
    expect(events.items).toHaveLength(1);
  });

  it('an agent claims for itself and completes with a result note; a person cannot then claim it', async () => {
    const { owner, project, workspace } = await ownProject(app());
    const agent = await createAgent(app(), owner, workspace.id, 'Coder');
    const task = await createTask(app(), owner, project.id);
    const claimed = ok(await app().request('POST', `/api/v1/tasks/${task.id}/claim`, { token: agent.token }));
    expect(claimed.claimedBy).toEqual({ type: 'agent', id: agent.id });
    const taken = await app().request('POST', `/api/v1/tasks/${task.id}/claim`, { token: owner.token });
    expectError(taken, 409, 'TASK_ALREADY_CLAIMED');
    expect(taken.body.claimedBy).toEqual({ type: 'agent', id: agent.id });

    const done = ok(
      await app().request('POST', `/api/v1/tasks/${task.id}/complete`, { token: agent.token, body: { resultNote: 'Fixed in #42' } }),
    );
    expect(done).toMatchObject({
      status: 'done',
      resultNote: 'Fixed in #42',
      completedAt: expect.any(String),
      updatedBy: { type: 'agent', id: agent.id },
    });
    const events = ok(await app().request('GET', `/api/v1/workspaces/${workspace.id}/events?type=task.completed`, { token: owner.token }));
    expect(events.items[0]).toMatchObject({ actor: { type: 'agent', id: agent.id }, data: { resultNote: 'Fixed in #42' } });
  });

  it('complete works without a body; completing or claiming a done task answers 409 and changes nothing', async () => {
    const { owner, project } = await ownProject(app());
    const task = await createTask(app(), owner, project.id);
    const done = ok(await app().request('POST', `/api/v1/tasks/${task.id}/complete`, { token: owner.token }));
    expect(done).toMatchObject({ status: 'done', resultNote: null });
    expectError(
      await app().request('POST', `/api/v1/tasks/${task.id}/complete`, { token: owner.token, body: { resultNote: 'again' } }),
      409,
      'CONFLICT',
    );
    expectError(await app().request('POST', `/api/v1/tasks/${task.id}/claim`, { token: owner.token }), 409, 'CONFLICT');
    expect(ok(await app().request('GET', `/api/v1/tasks/${task.id}`, { token: owner.token }))).toEqual(done);
  });

  it('a workspace access token (a team key, not a person) cannot claim: 403 FORBIDDEN, but may complete', async () => {
    const { owner, project, workspace } = await ownProject(app());
    const teamKey = await createWorkspaceToken(app(), owner, workspace.id, 'team_member');
    const task = await createTask(app(), owner, project.id);
    const res = await app().request('POST', `/api/v1/tasks/${task.id}/claim`, { token: teamKey });
    expectError(res, 403, 'FORBIDDEN');
    expect(res.body.error).toMatch(/cannot claim/);
    expect(ok(await app().request('GET', `/api/v1/tasks/${task.id}`, { token: owner.token }))).toEqual(task);
    const done = ok(await app().request('POST', `/api/v1/tasks/${task.id}/complete`, { token: teamKey }));
    expect(done.updatedBy.type).toBe('workspace_token');
  });
});
