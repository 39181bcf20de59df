import { expect, it } from 'vitest';
import { createAccessToken } from '../access-tokens/helpers.js';
import { registerAgent } from '../agents/helpers.js';
import { describeEachDialect } from '../helpers/harness.js';
import { auditOf, delegate, delegationTenant, readTask } from './helpers.js';

describeEachDialect('delegated tokens in lists, the audit log and rate limits', (app) => {
  it('GET /tokens lists every live descendant under its root, flattened, never a secret', async () => {
    const t = app();
    const { owner, project, root } = await delegationTenant(t);
    const child = await delegate(t, root.token, { name: 'sub-agent', permissions: ['tasks:read'], projectIds: [project.id] });
    const grandchild = await delegate(t, child.token, { name: 'sub-sub-agent' });
    const revoked = await delegate(t, root.token, { name: 'gone' });
    expect((await t.request('DELETE', `/api/v1/delegated-tokens/${revoked.id}`, { token: owner.token })).status).toBe(204);

    const list = await t.request('GET', '/api/v1/tokens', { token: owner.token });
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    const item = list.body.items.find((token: any) => token.id === root.id);
    expect(item.delegations).toEqual([
      {
        id: child.id,
        parentId: root.id,
        name: 'sub-agent',
        displayPrefix: child.token.slice(0, 10),
        depth: 1,
        permissions: ['tasks:read'],
        projectIds: [project.id],
        taskId: null,
        expiresAt: child.body.expiresAt,
        createdAt: expect.any(String),
        // It was used to mint its child.
        lastUsedAt: expect.any(String),
      },
      expect.objectContaining({
        id: grandchild.id,
        parentId: child.id,
        depth: 2,
        name: 'sub-sub-agent',
        // Spelled out: what its parent holds.
        permissions: ['tasks:read'],
        projectIds: [project.id],
        lastUsedAt: null,
      }),
    ]);
    expect(list.text).not.toContain(child.token);
  });

  it("shows a use's time, and lists a workspace token's and an agent's descendants in their lists", async () => {
    const t = app();
    const { owner, workspace, task, root } = await delegationTenant(t);
    const used = await delegate(t, root.token);
    expect((await readTask(t, used.token, task.id)).status).toBe(200);
    const tokens = await t.request('GET', '/api/v1/tokens', { token: owner.token });
    const [summary] = tokens.body.items.find((token: any) => token.id === root.id).delegations;
    expect(summary.lastUsedAt).toEqual(expect.any(String));

    const key = await createAccessToken(t, owner, workspace, { scope: 'team_member' });
    const fromKey = await delegate(t, key.token, { permissions: ['tasks:read'] });
    const keys = await t.request('GET', `/api/v1/workspaces/${workspace.id}/access-tokens`, { token: owner.token });
    expect(keys.status, JSON.stringify(keys.body)).toBe(200);
    expect(keys.body.items.find((item: any) => item.id === key.id).delegations.map((d: any) => [d.id, d.parentId])).toEqual([
      [fromKey.id, key.id],
    ]);

    const agent = await registerAgent(t, owner.token, workspace);
    const fromAgent = await delegate(t, agent.token, { permissions: ['tasks:read'] });
    const agents = await t.request('GET', `/api/v1/workspaces/${workspace.id}/agents`, { token: owner.token });
    expect(agents.status, JSON.stringify(agents.body)).toBe(200);
    const listed = agents.body.items.find((item: any) => item.id === agent.id);
    expect(listed.delegations.map((d: any) => [d.id, d.parentId, d.depth])).toEqual([[fromAgent.id, agent.id, 1]]);
    expect(keys.body.items.every((item: any) => Array.isArray(item.delegations))).toBe(true);
  });

  it("records each creation in the root owner's audit log with its chain, root first", async () => {
    const t = app();
    const { owner, root } = await delegationTenant(t);
    const child = await delegate(t, root.token, { name: 'first' });
    const grandchild = await delegate(t, child.token, { name: 'second' });

    const log = await t.request('GET', '/api/v1/me/audit-log', { token: owner.token });
    expect(log.status, JSON.stringify(log.body)).toBe(200);
    const created = log.body.items.filter((entry: any) => entry.action === 'delegated_token.created');
    expect(created.map((entry: any) => [entry.targetType, entry.targetId, entry.details.chain])).toEqual([
      [
        'delegated_token',
        grandchild.id,
        [
          { kind: 'personal', id: root.id },
          { kind: 'delegated', id: child.id },
          { kind: 'delegated', id: grandchild.id },
        ],
      ],
      [
        'delegated_token',
        child.id,
        [
          { kind: 'personal', id: root.id },
          { kind: 'delegated', id: child.id },
        ],
      ],
    ]);
    expect(created[0].actor).toEqual({ type: 'user', id: owner.id });
    expect(created[0].details).toMatchObject({ name: 'second', depth: 2 });
    expect(await auditOf(t, child.id, 'delegated_token.created')).toHaveLength(1);
  });

  it('spends a rate budget of its own, at its root token’s limit', async () => {
    const t = app();
    const { task, root } = await delegationTenant(t, { rateLimitPerMinute: 5 });
    const child = await delegate(t, root.token);
    const remaining = async (token: string) => {
      const res = await readTask(t, token, task.id);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.headers.get('ratelimit-policy')).toBe('"default";q=5;w=60');
      return Number(/r=(\d+)/.exec(res.headers.get('ratelimit') ?? '')![1]);
    };
    const rootBefore = await remaining(root.token);
    const first = await remaining(child.token);
    const second = await remaining(child.token);
    expect(second).toBe(first - 1);
    // The child's requests left the root's budget as it was (one request of its own since).
    expect(await remaining(root.token)).toBe(rootBefore - 1);
  });
});
