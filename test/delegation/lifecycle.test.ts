import { expect, it } from 'vitest';
import { createAccessToken } from '../access-tokens/helpers.js';
import { registerAgent } from '../agents/helpers.js';
import { expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { reportLeak } from '../token-leaks/helpers.js';
import { expireToken } from '../tokens/helpers.js';
import { auditOf, delegate, delegationTenant, readTask } from './helpers.js';

describeEachDialect('delegated tokens end with any ancestor', (app) => {
  it('revoking the root ends every descendant on the next request, audited with the chain', async () => {
    const t = app();
    const { owner, task, root } = await delegationTenant(t);
    const child = await delegate(t, root.token);
    const grandchild = await delegate(t, child.token);
    expect((await readTask(t, grandchild.token, task.id)).status).toBe(200);

    expect((await t.request('DELETE', `/api/v1/tokens/${root.id}`, { token: owner.token })).status).toBe(204);

    for (const link of [child, grandchild]) {
      const res = await readTask(t, link.token, task.id);
      expectError(res, 401, 'TOKEN_REVOKED');
      expect(res.body.error).toContain('ancestor');
    }
    const [refused] = await auditOf(t, grandchild.id, 'delegated_token.use_refused');
    expect(refused).toMatchObject({ user_id: owner.id, target_type: 'delegated_token' });
    expect(JSON.parse(refused!.details)).toMatchObject({
      reason: 'ancestor_refused',
      chain: [
        { kind: 'personal', id: root.id },
        { kind: 'delegated', id: child.id },
        { kind: 'delegated', id: grandchild.id },
      ],
    });
  });

  it('rotating the root out ends its descendants once the old secret stops working', async () => {
    const t = app();
    const { owner, task, root } = await delegationTenant(t);
    const child = await delegate(t, root.token);
    const rotated = await t.request('POST', `/api/v1/tokens/${root.id}/rotate`, { token: owner.token, body: { graceSeconds: 0 } });
    expect(rotated.status).toBe(200);

    expectError(await readTask(t, child.token, task.id), 401, 'TOKEN_EXPIRED');
    // A child minted with the new secret works.
    const fresh = await delegate(t, rotated.body.token);
    expect((await readTask(t, fresh.token, task.id)).status).toBe(200);
  });

  it("the root's or a link's expiry ends the descendants below it", async () => {
    const t = app();
    const { task, root } = await delegationTenant(t);
    const child = await delegate(t, root.token);
    const grandchild = await delegate(t, child.token);
    const past = new Date(Date.now() - 1000).toISOString();
    await t.ctx.db.updateTable('delegated_tokens').set({ expires_at: past }).where('id', '=', child.id).execute();
    expectError(await readTask(t, child.token, task.id), 401, 'TOKEN_EXPIRED');
    expectError(await readTask(t, grandchild.token, task.id), 401, 'TOKEN_EXPIRED');

    const other = await delegate(t, root.token);
    expect((await readTask(t, other.token, task.id)).status).toBe(200);
    await expireToken(t, root.id);
    expectError(await readTask(t, other.token, task.id), 401, 'TOKEN_EXPIRED');
  });

  it('a disabled agent or a revoked workspace token ends the tokens delegated from them', async () => {
    const t = app();
    const { owner, workspace } = await delegationTenant(t);
    const agent = await registerAgent(t, owner.token, workspace);
    const fromAgent = await delegate(t, agent.token, { permissions: ['tasks:read'] });
    expect(fromAgent.body).toMatchObject({ parentKind: 'agent', parentId: agent.id, rootKind: 'agent' });
    const agents = `/api/v1/workspaces/${workspace.id}/agents`;
    expect((await t.request('GET', agents, { token: fromAgent.token })).status).toBe(403);
    expect((await t.request('GET', `/api/v1/me/permissions?workspaceId=${workspace.id}`, { token: fromAgent.token })).status).toBe(200);
    const disabled = await t.request('PATCH', `/api/v1/agents/${agent.id}`, { token: owner.token, body: { enabled: false } });
    expect(disabled.status, JSON.stringify(disabled.body)).toBe(200);
    expectError(await t.request('GET', agents, { token: fromAgent.token }), 401, 'TOKEN_DISABLED');

    const key = await createAccessToken(t, owner, workspace, { scope: 'team_member' });
    const fromKey = await delegate(t, key.token, { permissions: ['projects:read'] });
    expect(fromKey.body).toMatchObject({ parentKind: 'workspace', rootKind: 'workspace' });
    const projects = `/api/v1/projects?workspaceId=${workspace.id}`;
    expect((await t.request('GET', projects, { token: fromKey.token })).status).toBe(200);
    await reportLeak(t, [key.token]);
    expectError(await t.request('GET', projects, { token: fromKey.token }), 401, 'TOKEN_REVOKED');
  });

  it('a leak report revokes a tgd_ token through its policy, and its descendants end with it', async () => {
    const t = app();
    const { owner, task, root } = await delegationTenant(t);
    const child = await delegate(t, root.token);
    const grandchild = await delegate(t, child.token);
    expect(await reportLeak(t, [`SUBAGENT_TOKEN=${child.token}`])).toBe(1);

    expectError(await readTask(t, child.token, task.id), 401, 'TOKEN_REVOKED');
    expectError(await readTask(t, grandchild.token, task.id), 401, 'TOKEN_REVOKED');
    expect((await readTask(t, root.token, task.id)).status).toBe(200);
    const row = await t.ctx.db.selectFrom('delegated_tokens').selectAll().where('id', '=', child.id).executeTakeFirstOrThrow();
    expect(row.revoked_reason).toBe('leaked');
    const [leaked] = await auditOf(t, child.id, 'token.leaked');
    expect(leaked).toMatchObject({ user_id: owner.id, target_type: 'delegated_token' });
  });

  it('DELETE /delegated-tokens/:id: by an ancestor token or the root owner; it ends the descendants, not the siblings', async () => {
    const t = app();
    const { owner, task, root } = await delegationTenant(t);
    const child = await delegate(t, root.token);
    const grandchild = await delegate(t, child.token);
    const sibling = await delegate(t, root.token);
    const nephew = await delegate(t, sibling.token);

    // A descendant cannot revoke its parent; a stranger's token learns nothing.
    expectError(await t.request('DELETE', `/api/v1/delegated-tokens/${child.id}`, { token: grandchild.token }), 404, 'NOT_FOUND');
    expectError(await t.request('DELETE', `/api/v1/delegated-tokens/${child.id}`, { token: nephew.token }), 404, 'NOT_FOUND');

    expect((await t.request('DELETE', `/api/v1/delegated-tokens/${child.id}`, { token: root.token })).status).toBe(204);
    expectError(await readTask(t, child.token, task.id), 401, 'TOKEN_REVOKED');
    expectError(await readTask(t, grandchild.token, task.id), 401, 'TOKEN_REVOKED');
    expect((await readTask(t, nephew.token, task.id)).status).toBe(200);
    const [revoked] = await auditOf(t, child.id, 'delegated_token.revoked');
    expect(JSON.parse(revoked!.details)).toMatchObject({ descendantsRevoked: [grandchild.id] });
    expect(revoked).toMatchObject({ actor_type: 'user', actor_id: owner.id });

    expect((await t.request('DELETE', `/api/v1/delegated-tokens/${nephew.id}`, { token: sibling.token })).status).toBe(204);
    expectError(await readTask(t, nephew.token, task.id), 401, 'TOKEN_REVOKED');
    expect((await t.request('DELETE', `/api/v1/delegated-tokens/${sibling.id}`, { token: owner.token })).status).toBe(204);
    expectError(await readTask(t, sibling.token, task.id), 401, 'TOKEN_REVOKED');
    // Again: nothing changes.
    expect((await t.request('DELETE', `/api/v1/delegated-tokens/${sibling.id}`, { token: owner.token })).status).toBe(204);
    expect(await auditOf(t, sibling.id, 'delegated_token.revoked')).toHaveLength(1);
  });
});
