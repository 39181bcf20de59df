import { expect, it } from 'vitest';
import { flushTokenUses } from '../../src/token-usage/flush.js';
import { addMember, createUser, expectError } from '../helpers/factories.js';
import { describeEachDialect, type TestApp } from '../helpers/harness.js';
import { createAgent, createProject, createTask, ok, ownProject } from '../tasks/fixtures.js';
import { createToken } from '../tokens/helpers.js';

const api = (path: string) => `/api/v1${path}`;
const today = () => new Date().toISOString().slice(0, 10);

function storedUses(t: TestApp, tokenId: string) {
  return t.ctx.db.selectFrom('token_permission_uses').selectAll().where('token_id', '=', tokenId).execute();
}

async function auditActions(t: TestApp, targetId: string): Promise<string[]> {
  const rows = await t.ctx.db.selectFrom('audit_log').select('action').where('target_id', '=', targetId).orderBy('id').execute();
  return rows.map((row) => row.action);
}

describeEachDialect('token usage: counted per permission, shown, narrowed', (app) => {
  it('counts a personal token’s uses in memory, writes them on flush, and lists what it never used', async () => {
    const { owner, workspace, space, project } = await ownProject(app());
    const other = await createProject(app(), owner, space.id, 'Unused');
    const task = await createTask(app(), owner, project.id);
    const { id, token } = await createToken(app(), owner, { projectIds: [project.id, other.id] });

    ok(await app().request('GET', api(`/tasks/${task.id}`), { token }));
    ok(await app().request('GET', api(`/tasks/${task.id}`), { token }));
    ok(await app().request('GET', api(`/workspaces/${workspace.id}/labels`), { token }));
    // Nothing is written while requests are served, and a session's own requests are never counted.
    expect(await storedUses(app(), id)).toEqual([]);
    const pending = ok(await app().request('GET', api(`/tokens/${id}/usage`), { token: owner.token }));
    expect(pending.permissions.find((p: any) => p.permission === 'tasks:read')).toEqual({
      permission: 'tasks:read',
      uses: 2,
      lastUsedOn: today(),
    });

    await flushTokenUses(app().ctx.db, app().ctx.tokenUses);
    const rows = await storedUses(app(), id);
    expect(rows.map((r) => [r.token_kind, r.permission, r.project_id, Number(r.uses), r.day]).sort()).toEqual(
      [
        ['personal', 'labels:read', '', 1, today()],
        ['personal', 'tasks:read', project.id, 2, today()],
      ].sort(),
    );

    const usage = ok(await app().request('GET', api(`/tokens/${id}/usage`), { token: owner.token }));
    expect(usage).toMatchObject({ days: 30, projects: [{ projectId: project.id, uses: 2 }], unusedProjectIds: [other.id] });
    expect(usage.since < today()).toBe(true);
    expect(usage.permissions.find((p: any) => p.permission === 'tasks:read')).toEqual({
      permission: 'tasks:read',
      uses: 2,
      lastUsedOn: today(),
    });
    expect(usage.permissions.find((p: any) => p.permission === 'spaces:read')).toEqual({
      permission: 'spaces:read',
      uses: 0,
      lastUsedOn: null,
    });
    expect(usage.unusedPermissions).toContain('spaces:read');
    expect(usage.unusedPermissions).not.toContain('tasks:read');
    // A project-scoped token is never granted what acts on the whole workspace.
    expect(usage.permissions.map((p: any) => p.permission)).not.toContain('workspace:write');

    // Counts add up across flushes (another process flushes into the same rows).
    ok(await app().request('GET', api(`/tasks/${task.id}`), { token }));
    await flushTokenUses(app().ctx.db, app().ctx.tokenUses);
    const again = ok(await app().request('GET', api(`/tokens/${id}/usage`), { token: owner.token }));
    expect(again.permissions.find((p: any) => p.permission === 'tasks:read').uses).toBe(3);
  });

  it('previews a personal token’s narrowing without changing it, then applies it as a PATCH would', async () => {
    const { owner, workspace, space, project } = await ownProject(app());
    const other = await createProject(app(), owner, space.id, 'Unused');
    const task = await createTask(app(), owner, project.id);
    const { id, token } = await createToken(app(), owner, { projectIds: [project.id, other.id] });
    ok(await app().request('GET', api(`/tasks/${task.id}`), { token }));
    ok(await app().request('GET', api(`/workspaces/${workspace.id}/labels`), { token }));
    ok(await app().request('GET', api(`/workspaces/${workspace.id}/spaces`), { token }));
    await flushTokenUses(app().ctx.db, app().ctx.tokenUses);
    // spaces:read was used before the window: moved out of it by editing the row, as time would.
    await app()
      .ctx.db.updateTable('token_permission_uses')
      .set({ day: '2000-01-01' })
      .where('token_id', '=', id)
      .where('permission', '=', 'spaces:read')
      .execute();

    const before = await app().ctx.db.selectFrom('personal_access_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const preview = ok(await app().request('POST', api(`/tokens/${id}/narrow`), { token: owner.token, body: { dryRun: true } }));
    expect(preview).toMatchObject({
      applied: false,
      before: { permissions: null, projectIds: [project.id, other.id], scope: null },
      after: { permissions: ['tasks:read', 'labels:read'], projectIds: [project.id], scope: null },
      removedProjectIds: [other.id],
    });
    expect(preview.removedPermissions).toContain('spaces:read');
    expect(preview.removedPermissions).not.toContain('tasks:read');
    expect(await app().ctx.db.selectFrom('personal_access_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow()).toEqual(
      before,
    );
    expect(await auditActions(app(), id)).toEqual(['token.created']);

    const applied = ok(await app().request('POST', api(`/tokens/${id}/narrow`), { token: owner.token, body: {} }));
    expect(applied).toMatchObject({ applied: true, after: preview.after, removedPermissions: preview.removedPermissions });
    const view = ok(await app().request('GET', api(`/tokens/${id}`), { token: owner.token }));
    expect(view).toMatchObject({ permissions: ['tasks:read', 'labels:read'], projectIds: [project.id] });
    expect(await auditActions(app(), id)).toEqual(['token.created', 'token.updated']);

    ok(await app().request('GET', api(`/tasks/${task.id}`), { token }));
    const refused = await app().request('GET', api(`/workspaces/${workspace.id}/spaces`), { token });
    expectError(refused, 403, 'PERMISSION_DENIED');
    expect(refused.body).toMatchObject({ refusedBy: 'token_permissions', missingPermission: 'spaces:read' });

    // Narrowed to what it used, narrowing again changes nothing.
    await flushTokenUses(app().ctx.db, app().ctx.tokenUses);
    const again = ok(await app().request('POST', api(`/tokens/${id}/narrow`), { token: owner.token }));
    expect(again).toMatchObject({ applied: false, removedPermissions: [], removedProjectIds: [] });
  });

  it('narrows a workspace token to the narrowest role covering its uses, with the PATCH’s event and audit', async () => {
    const { owner, workspace, project } = await ownProject(app());
    const task = await createTask(app(), owner, project.id);
    const issued = ok(
      await app().request('POST', api(`/workspaces/${workspace.id}/access-tokens`), {
        token: owner.token,
        body: { label: 'ci', scope: 'administrator' },
      }),
      201,
    );
    const base = api(`/workspaces/${workspace.id}/access-tokens/${issued.id}`);
    ok(await app().request('GET', api(`/tasks/${task.id}`), { token: issued.token }));
    ok(await app().request('GET', api(`/workspaces/${workspace.id}/labels`), { token: issued.token }));
    await flushTokenUses(app().ctx.db, app().ctx.tokenUses);

    const usage = ok(await app().request('GET', `${base}/usage`, { token: owner.token }));
    expect(usage.projects).toEqual([{ projectId: project.id, uses: 1 }]);
    expect(usage.unusedProjectIds).toEqual([]);
    expect(usage.unusedPermissions).toContain('labels:write');

    const preview = ok(await app().request('POST', `${base}/narrow`, { token: owner.token, body: { dryRun: true } }));
    expect(preview).toMatchObject({
      applied: false,
      before: { permissions: null, projectIds: null, scope: 'administrator' },
      after: { permissions: null, projectIds: null, scope: 'viewer' },
      removedProjectIds: [],
    });
    expect(preview.removedPermissions).toContain('labels:write');
    const events = () => app().ctx.db.selectFrom('events').select('type').where('resource_id', '=', issued.id).execute();
    expect((await events()).map((e) => e.type)).toEqual(['access_token.created']);

    ok(await app().request('POST', `${base}/narrow`, { token: owner.token, body: { dryRun: false } }));
    expect((await events()).map((e) => e.type)).toEqual(['access_token.created', 'access_token.updated']);
    expect(await auditActions(app(), issued.id)).toContain('access_token.updated');
    const refused = await app().request('POST', api(`/workspaces/${workspace.id}/labels`), { token: issued.token, body: { name: 'x' } });
    expectError(refused, 403, 'PERMISSION_DENIED');
    expect(refused.body).toMatchObject({ refusedBy: 'role', missingPermission: 'labels:write' });
    ok(await app().request('GET', api(`/tasks/${task.id}`), { token: issued.token }));
  });

  it('counts an agent’s uses under the agent, explains it, and narrows nothing of it', async () => {
    const { owner, workspace, project } = await ownProject(app());
    const task = await createTask(app(), owner, project.id);
    const agent = await createAgent(app(), owner, workspace.id);
    ok(await app().request('GET', api(`/tasks/${task.id}`), { token: agent.token }));
    await flushTokenUses(app().ctx.db, app().ctx.tokenUses);
    const usage = ok(await app().request('GET', api(`/agents/${agent.id}/usage`), { token: owner.token }));
    expect(usage.permissions.find((p: any) => p.permission === 'tasks:read')).toMatchObject({ uses: 1, lastUsedOn: today() });
    expect(usage.permissions.map((p: any) => p.permission)).not.toContain('workspace:delete');
    const narrowed = ok(await app().request('POST', api(`/agents/${agent.id}/narrow`), { token: owner.token, body: {} }));
    expect(narrowed).toEqual({
      applied: false,
      before: { permissions: null, projectIds: null, scope: null },
      after: { permissions: null, projectIds: null, scope: null },
      removedPermissions: [],
      removedProjectIds: [],
    });
    const explained = ok(
      await app().request('GET', api(`/agents/${agent.id}/permissions?projectId=${project.id}`), { token: owner.token }),
    );
    expect(explained).toMatchObject({ workspaceId: workspace.id, projectId: project.id, credential: 'agent' });
    expect(explained.effective).toContain('tasks:read');
    expect(explained.permissions.find((p: any) => p.name === 'workspace:delete').refusedBy).toBe('agent_matrix');
  });

  it('explains a personal or workspace token as GET /me/permissions explains its caller', async () => {
    const { owner, workspace } = await ownProject(app());
    const { id, token } = await createToken(app(), owner, { permissions: ['tasks:read'] });
    const explained = ok(await app().request('GET', api(`/tokens/${id}/permissions?workspaceId=${workspace.id}`), { token: owner.token }));
    const asItself = ok(await app().request('GET', api(`/me/permissions?workspaceId=${workspace.id}`), { token }));
    expect(explained).toEqual(asItself);
    expect(explained.effective).toEqual(['tasks:read']);

    const issued = ok(
      await app().request('POST', api(`/workspaces/${workspace.id}/access-tokens`), {
        token: owner.token,
        body: { label: 'ci', scope: 'viewer' },
      }),
      201,
    );
    const path = api(`/workspaces/${workspace.id}/access-tokens/${issued.id}/permissions`);
    const ws = ok(await app().request('GET', path, { token: owner.token }));
    expect(ws).toEqual(ok(await app().request('GET', api(`/me/permissions?workspaceId=${workspace.id}`), { token: issued.token })));
    expect(ws.credential).toBe('workspace_token');
  });

  it('answers only those who may see the token, and refuses bad input', async () => {
    const { owner, workspace, project } = await ownProject(app());
    const task = await createTask(app(), owner, project.id);
    const { id, token } = await createToken(app(), owner);
    const stranger = await createUser(app());
    const member = await createUser(app());
    await addMember(app(), owner, workspace, member, 'team_member');
    const issued = ok(
      await app().request('POST', api(`/workspaces/${workspace.id}/access-tokens`), {
        token: owner.token,
        body: { label: 'ci', scope: 'team_member' },
      }),
      201,
    );
    const base = api(`/workspaces/${workspace.id}/access-tokens/${issued.id}`);

    // Someone else's personal token is a missing id; a token never looks into tokens.
    expectError(await app().request('GET', api(`/tokens/${id}/usage`), { token: stranger.token }), 404, 'NOT_FOUND');
    expectError(
      await app().request('POST', api(`/tokens/${id}/narrow`), { token: stranger.token, body: { dryRun: true } }),
      404,
      'NOT_FOUND',
    );
    expectError(await app().request('GET', api(`/tokens/${id}/usage`), { token }), 403, 'TOKEN_CANNOT_MANAGE_TOKENS');
    expectError(await app().request('GET', `${base}/usage`, { token: stranger.token }), 404, 'NOT_FOUND');
    // A member may see the workspace's tokens (tokens:read) but not narrow them (tokens:write).
    ok(await app().request('GET', `${base}/usage`, { token: member.token }));
    const refused = await app().request('POST', `${base}/narrow`, { token: member.token, body: { dryRun: true } });
    expectError(refused, 403, 'PERMISSION_DENIED');
    expect(refused.body.missingPermission).toBe('tokens:write');
    expectError(
      await app().request('GET', api(`/workspaces/${workspace.id}/access-tokens/${id}/usage`), { token: owner.token }),
      404,
      'NOT_FOUND',
    );

    // Never used in 30 days: nothing to narrow it to.
    expectError(await app().request('POST', api(`/tokens/${id}/narrow`), { token: owner.token, body: { dryRun: true } }), 409, 'CONFLICT');
    expectError(await app().request('POST', `${base}/narrow`, { token: owner.token, body: {} }), 409, 'CONFLICT');
    ok(await app().request('GET', api(`/tasks/${task.id}`), { token }));

    expectError(
      await app().request('POST', api(`/tokens/${id}/narrow`), { token: owner.token, body: { dryRun: 'yes' } }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await app().request('POST', api(`/tokens/${id}/narrow`), { token: owner.token, body: { dryRun: true, all: 1 } }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(await app().request('GET', api(`/tokens/${id}/permissions`), { token: owner.token }), 400, 'VALIDATION_FAILED');
    expectError(await app().request('GET', `${base}/permissions?projectId=`, { token: owner.token }), 400, 'VALIDATION_FAILED');
    expectError(
      await app().request('GET', api(`/tokens/${id}/permissions?workspaceId=${project.id}`), { token: owner.token }),
      404,
      'NOT_FOUND',
    );
    // The token's use of tasks:read above is in memory: narrowing sees it before any flush.
    const narrowed = ok(await app().request('POST', api(`/tokens/${id}/narrow`), { token: owner.token, body: { dryRun: true } }));
    expect(narrowed.after.permissions).toEqual(['tasks:read']);
  });
});
