import { expect, it } from 'vitest';
import { addMember, expectError, type TestUser, type TestWorkspace } from '../helpers/factories.js';
import { describeEachDialect, type TestApp } from '../helpers/harness.js';
import { createToken, tokenOwner, tokenRow } from './helpers.js';

async function project(
  t: TestApp,
  owner: TestUser,
  workspace: TestWorkspace,
  name: string,
): Promise<{ id: string; spaceId: string; taskId: string }> {
  const space = await t.request('POST', `/api/v1/workspaces/${workspace.id}/spaces`, {
    token: owner.token,
    body: { name: `${name} space` },
  });
  expect(space.status, space.text).toBe(201);
  const created = await t.request('POST', '/api/v1/projects', { token: owner.token, body: { spaceId: space.body.id, name } });
  expect(created.status, created.text).toBe(201);
  const task = await t.request('POST', '/api/v1/tasks', {
    token: owner.token,
    body: { projectId: created.body.id, title: `${name} task` },
  });
  expect(task.status, task.text).toBe(201);
  return { id: created.body.id, spaceId: space.body.id, taskId: task.body.id };
}

describeEachDialect('personal tokens: project scope', (app) => {
  it('accepts projects the owner can see, in any of their workspaces', async () => {
    const { owner, workspace } = await tokenOwner(app());
    const { owner: colleague, workspace: theirs } = await tokenOwner(app());
    await addMember(app(), colleague, theirs, owner, 'viewer');
    const mine = await project(app(), owner, workspace, 'Mine');
    const shared = await project(app(), colleague, theirs, 'Shared');
    const created = await createToken(app(), owner, { projectIds: [mine.id, shared.id, mine.id] });
    expect(created.body.projectIds).toEqual([mine.id, shared.id]);
    expect((await app().request('GET', `/api/v1/tasks/${shared.taskId}`, { token: created.token })).status).toBe(200);
  });

  it('refuses projects the owner cannot see, naming them, and creates nothing', async () => {
    const { owner } = await tokenOwner(app());
    const { owner: stranger, workspace: theirs } = await tokenOwner(app());
    const foreign = await project(app(), stranger, theirs, 'Theirs');
    const res = await app().request('POST', '/api/v1/tokens', {
      token: owner.token,
      body: { name: 'n', projectIds: [foreign.id, 'prj_missing'] },
    });
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.body.unknownProjectIds).toEqual([foreign.id, 'prj_missing']);
    expect(res.body.fields[0].field).toBe('projectIds');
    const rows = await app().ctx.db.selectFrom('personal_access_tokens').select('id').where('user_id', '=', owner.id).execute();
    expect(rows).toHaveLength(0);
  });

  it('refuses an edit that adds a project the owner cannot see', async () => {
    const { owner, workspace } = await tokenOwner(app());
    const { owner: stranger, workspace: theirs } = await tokenOwner(app());
    const mine = await project(app(), owner, workspace, 'Mine');
    const foreign = await project(app(), stranger, theirs, 'Theirs');
    const { id } = await createToken(app(), owner, { projectIds: [mine.id] });
    const before = await tokenRow(app(), id);
    const res = await app().request('PATCH', `/api/v1/tokens/${id}`, { token: owner.token, body: { projectIds: [mine.id, foreign.id] } });
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.body.unknownProjectIds).toEqual([foreign.id]);
    expect(await tokenRow(app(), id)).toEqual(before);
  });

  it('sees and touches only its projects: other tasks refused, lists filtered, no new projects', async () => {
    const { owner, workspace } = await tokenOwner(app());
    const inScope = await project(app(), owner, workspace, 'In scope');
    const outOfScope = await project(app(), owner, workspace, 'Out of scope');
    const { token } = await createToken(app(), owner, { projectIds: [inScope.id] });

    expect((await app().request('GET', `/api/v1/tasks/${inScope.taskId}`, { token })).status).toBe(200);
    expectError(await app().request('GET', `/api/v1/tasks/${outOfScope.taskId}`, { token }), 403, 'PROJECT_OUT_OF_SCOPE');
    const projects = await app().request('GET', `/api/v1/projects?workspaceId=${workspace.id}`, { token });
    expect(projects.status).toBe(200);
    expect(projects.body.items.map((p: any) => p.id)).toEqual([inScope.id]);
    const create = await app().request('POST', '/api/v1/projects', { token, body: { spaceId: inScope.spaceId, name: 'Sneaky' } });
    expectError(create, 403, 'PROJECT_OUT_OF_SCOPE');
    const all = await app().request('GET', `/api/v1/projects?workspaceId=${workspace.id}`, { token: owner.token });
    expect(all.body.items).toHaveLength(2);
  });
});
