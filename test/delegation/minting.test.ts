import { expect, it } from 'vitest';
import { registerAgent } from '../agents/helpers.js';
import { expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { createToken } from '../tokens/helpers.js';
import { DELEGATE, delegate, delegationTenant, readTask } from './helpers.js';

const TGD = /^tgd_[0-9A-Za-z]{38}$/;

describeEachDialect('POST /me/delegate: a child is a subset of its parent', (app) => {
  it('mints a tgd_ child of a personal token holding only what it was given, refused elsewhere by delegation_scope', async () => {
    const t = app();
    const { project, task, other, elsewhere, root } = await delegationTenant(t);
    const child = await delegate(t, root.token, { name: 'reader', permissions: ['tasks:read'], projectIds: [project.id] });

    expect(child.token).toMatch(TGD);
    expect(child.body).toMatchObject({
      parentId: root.id,
      parentKind: 'personal',
      rootKind: 'personal',
      depth: 1,
      name: 'reader',
      permissions: ['tasks:read'],
      projectIds: [project.id],
      taskId: null,
    });
    const read = await readTask(t, child.token, task.id);
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    expect(read.headers.get('taskgate-token-expires')).toBe(child.body.expiresAt);

    const write = await t.request('PATCH', `/api/v1/tasks/${task.id}`, { token: child.token, body: { title: 'changed' } });
    expectError(write, 403, 'DELEGATION_SCOPE');
    expect(write.body).toMatchObject({ refusedBy: 'delegation_scope', missingPermission: 'tasks:write' });
    const outside = await readTask(t, child.token, elsewhere.id);
    expectError(outside, 403, 'DELEGATION_SCOPE');
    expect(outside.body).toMatchObject({ refusedBy: 'delegation_scope', projectId: other.id });
    // The root itself is untouched by its child's limits.
    expect((await t.request('PATCH', `/api/v1/tasks/${task.id}`, { token: root.token, body: { title: 'by root' } })).status).toBe(200);
  });

  it('refuses a child more than its parent holds, naming the missing permission and the layer', async () => {
    const t = app();
    const { owner, workspace, project } = await delegationTenant(t);
    const narrow = await createToken(t, owner, { permissions: ['tasks:read', 'projects:read'] });
    const wider = await t.request('POST', DELEGATE, { token: narrow.token, body: { permissions: ['tasks:read', 'tasks:write'] } });
    expectError(wider, 403, 'PERMISSION_DENIED');
    expect(wider.body).toMatchObject({ missingPermission: 'tasks:write', refusedBy: 'token_permissions' });

    const child = await delegate(t, narrow.token, { permissions: ['tasks:read'] });
    const grandchild = await t.request('POST', DELEGATE, { token: child.token, body: { permissions: ['projects:read'] } });
    expectError(grandchild, 403, 'DELEGATION_SCOPE');
    expect(grandchild.body).toMatchObject({ missingPermission: 'projects:read', refusedBy: 'delegation_scope' });

    const agent = await registerAgent(t, owner.token, workspace);
    const beyondAgents = await t.request('POST', DELEGATE, { token: agent.token, body: { permissions: ['workspace:delete'] } });
    expectError(beyondAgents, 403, 'AGENT_NOT_ALLOWED');
    expect(beyondAgents.body).toMatchObject({ missingPermission: 'workspace:delete', refusedBy: 'agent_matrix' });

    const projectLimited = await delegate(t, narrow.token, { projectIds: [project.id] });
    const otherProject = await t.request('POST', DELEGATE, {
      token: projectLimited.token,
      body: { projectIds: ['prj_00000000000000000000000000'] },
    });
    expect(otherProject.status).toBe(404);
    const unknown = await t.request('POST', DELEGATE, { token: narrow.token, body: { permissions: ['tasks:fly'] } });
    expectError(unknown, 400, 'UNKNOWN_PERMISSION');
  });

  it('limits a chain to three links below its root', async () => {
    const t = app();
    const { root, task } = await delegationTenant(t);
    const first = await delegate(t, root.token);
    const second = await delegate(t, first.token);
    const third = await delegate(t, second.token);
    expect([first, second, third].map((link) => [link.body.depth, link.body.parentKind, link.body.rootKind])).toEqual([
      [1, 'personal', 'personal'],
      [2, 'delegated', 'personal'],
      [3, 'delegated', 'personal'],
    ]);
    expect(third.body.parentId).toBe(second.id);
    expect((await readTask(t, third.token, task.id)).status).toBe(200);
    const fourth = await t.request('POST', DELEGATE, { token: third.token, body: {} });
    expectError(fourth, 403, 'DELEGATION_DEPTH_EXCEEDED');
    expect(fourth.body).toMatchObject({ depth: 4, maxDepth: 3, refusedBy: 'delegation_scope' });
  });

  it('expires after an hour by default, never after its parent, at most after 24 hours', async () => {
    const t = app();
    const { owner } = await delegationTenant(t);
    const before = Date.now();
    const long = await createToken(t, owner);
    const byDefault = await delegate(t, long.token);
    const lifetime = Date.parse(byDefault.body.expiresAt) - before;
    expect(lifetime).toBeGreaterThanOrEqual(3600_000 - 1000);
    expect(lifetime).toBeLessThanOrEqual(3600_000 + 60_000);

    const soon = new Date(Date.now() + 30 * 60_000).toISOString();
    const short = await createToken(t, owner, { expiresAt: soon });
    const cut = await delegate(t, short.token);
    expect(Date.parse(cut.body.expiresAt)).toBe(Date.parse(short.body.expiresAt));
    const tooLong = await t.request('POST', DELEGATE, { token: short.token, body: { expiresInSeconds: 3600 } });
    expectError(tooLong, 400, 'INVALID_EXPIRY');
    expect(tooLong.body).toMatchObject({ latestExpiresAt: short.body.expiresAt });
    const grandchild = await t.request('POST', DELEGATE, { token: cut.token, body: { expiresInSeconds: 3600 } });
    expectError(grandchild, 400, 'INVALID_EXPIRY');
    const shorter = await delegate(t, cut.token, { expiresInSeconds: 600 });
    expect(Date.parse(shorter.body.expiresAt)).toBeLessThan(Date.parse(cut.body.expiresAt));

    expectError(await t.request('POST', DELEGATE, { token: long.token, body: { expiresInSeconds: 86_401 } }), 400, 'VALIDATION_FAILED');
  });

  it('takes API tokens only: a session is refused', async () => {
    const t = app();
    const { owner } = await delegationTenant(t);
    expectError(await t.request('POST', DELEGATE, { token: owner.token, body: {} }), 401, 'TOKEN_REQUIRED');
    expectError(await t.request('POST', DELEGATE, { body: {} }), 401, 'UNAUTHENTICATED');
  });

  it('a single-task child reaches that task only: other tasks and other projects are refused by delegation_scope', async () => {
    const t = app();
    const { workspace, project, other, task, sibling, elsewhere, root } = await delegationTenant(t);
    const child = await delegate(t, root.token, { taskId: task.id, permissions: ['tasks:read', 'tasks:write'] });
    expect(child.body).toMatchObject({ taskId: task.id, projectIds: [project.id] });

    expect((await readTask(t, child.token, task.id)).status).toBe(200);
    const edited = await t.request('PATCH', `/api/v1/tasks/${task.id}`, { token: child.token, body: { title: 'done by the sub-agent' } });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    for (const refused of [sibling.id, elsewhere.id]) {
      const res = await readTask(t, child.token, refused);
      expectError(res, 403, 'DELEGATION_SCOPE');
      expect(res.body.refusedBy).toBe('delegation_scope');
    }
    const otherTask = await t.request('POST', DELEGATE, { token: child.token, body: { taskId: sibling.id } });
    expectError(otherTask, 403, 'DELEGATION_SCOPE');

    const explained = await t.request('GET', `/api/v1/me/permissions?workspaceId=${workspace.id}&projectId=${other.id}`, {
      token: child.token,
    });
    expect(explained.status, JSON.stringify(explained.body)).toBe(200);
    expect(explained.body.effective).toEqual([]);
    expect(explained.body.permissions.find((p: any) => p.name === 'tasks:read')).toEqual({
      name: 'tasks:read',
      effective: false,
      refusedBy: 'delegation_scope',
    });
    const layer = explained.body.layers.find((l: any) => l.layer === 'delegation_scope');
    expect(layer).toMatchObject({ applies: true, allows: [], projectIds: [project.id], taskId: task.id, depth: 1 });

    const inProject = await t.request('GET', `/api/v1/me/permissions?workspaceId=${workspace.id}&projectId=${project.id}`, {
      token: child.token,
    });
    expect(inProject.body.effective.sort()).toEqual(['tasks:read', 'tasks:write']);
    expect(inProject.body.permissions.find((p: any) => p.name === 'tasks:delete').refusedBy).toBe('delegation_scope');
  });
});
