import { expect, it } from 'vitest';
import { createTeam, createUser, createWorkspace, expectError } from '../helpers/factories.js';
import { describeEachDialect, type TestApp } from '../helpers/harness.js';

const AT_ONCE = 4;

/** The types of the events a workspace recorded about one member (or invitation). */
async function eventTypes(t: TestApp, workspaceId: string, resourceId: string): Promise<string[]> {
  const rows = await t.ctx.db
    .selectFrom('events')
    .select('type')
    .where('workspace_id', '=', workspaceId)
    .where('resource_id', '=', resourceId)
    .execute();
  return rows.map((row) => row.type);
}

const count = (types: string[], type: string) => types.filter((t) => t === type).length;

describeEachDialect('membership races', (app) => {
  it('accepting one invitation four times at once: one 200, three 409, one membership and one member.added', async () => {
    const owner = await createUser(app());
    const ws = await createWorkspace(app(), owner);
    const bob = await createUser(app());
    const invited = await app().request('POST', `/api/v1/workspaces/${ws.id}/invitations`, {
      token: owner.token,
      body: { email: bob.email, role: 'viewer' },
    });
    const answers = await Promise.all(
      Array.from({ length: AT_ONCE }, () => app().request('POST', `/api/v1/invitations/${invited.body.id}/accept`, { token: bob.token })),
    );
    expect(answers.map((res) => res.status).sort()).toEqual([200, 409, 409, 409]);
    for (const res of answers.filter((r) => r.status === 409))
      expect(['INVITATION_NOT_PENDING', 'ALREADY_MEMBER']).toContain(res.body.code);
    const members = await app().request('GET', `/api/v1/workspaces/${ws.id}/members`, { token: owner.token });
    expect(members.body.items.filter((m: { userId: string }) => m.userId === bob.id)).toHaveLength(1);
    expect(count(await eventTypes(app(), ws.id, bob.id), 'member.added')).toBe(1);
  });

  it('inviting one address four times at once (also by the old members route): no 500, and one pending invitation is left', async () => {
    const owner = await createUser(app());
    const ws = await createWorkspace(app(), owner);
    const bob = await createUser(app());
    const paths = ['invitations', 'members', 'invitations', 'members'].map((p) => `/api/v1/workspaces/${ws.id}/${p}`);
    const answers = await Promise.all(
      paths.map((path) => app().request('POST', path, { token: owner.token, body: { email: bob.email, role: 'viewer' } })),
    );
    for (const res of answers) {
      if (res.status !== 201) expectError(res, 409, 'CONFLICT');
    }
    const pending = await app()
      .ctx.db.selectFrom('workspace_invitations')
      .select('id')
      .where('workspace_id', '=', ws.id)
      .where('status', '=', 'pending')
      .execute();
    expect(pending).toHaveLength(1);
  });

  it('accepting and revoking at once: exactly one wins', async () => {
    const { workspace, members } = await createTeam(app());
    const bob = await createUser(app());
    const invited = await app().request('POST', `/api/v1/workspaces/${workspace.id}/invitations`, {
      token: members.owner.token,
      body: { email: bob.email, role: 'viewer' },
    });
    const [accepted, revoked] = await Promise.all([
      app().request('POST', `/api/v1/invitations/${invited.body.id}/accept`, { token: bob.token }),
      app().request('DELETE', `/api/v1/workspaces/${workspace.id}/invitations/${invited.body.id}`, { token: members.owner.token }),
    ]);
    expect([accepted.status, revoked.status].sort()).toEqual(accepted.status === 200 ? [200, 409] : [204, 409]);
    const joined = count(await eventTypes(app(), workspace.id, bob.id), 'member.added');
    expect(joined).toBe(accepted.status === 200 ? 1 : 0);
  });

  it("re-enabling a departed member's token and agent four times at once records each enabling once", async () => {
    const { workspace, members } = await createTeam(app());
    const admin = members.administrator;
    const key = await app().request('POST', `/api/v1/workspaces/${workspace.id}/access-tokens`, {
      token: admin.token,
      body: { label: 'k', scope: 'viewer' },
    });
    const agent = await app().request('POST', `/api/v1/workspaces/${workspace.id}/agents`, { token: admin.token, body: { name: 'bot' } });
    await app().request('DELETE', `/api/v1/workspaces/${workspace.id}/members/${admin.id}`, { token: members.owner.token });
    const enable = (path: string) => app().request('PATCH', path, { token: members.owner.token, body: { enabled: true } });
    const answers = await Promise.all([
      ...Array.from({ length: AT_ONCE }, () => enable(`/api/v1/workspaces/${workspace.id}/access-tokens/${key.body.id}`)),
      ...Array.from({ length: AT_ONCE }, () => enable(`/api/v1/agents/${agent.body.agent.id}`)),
    ]);
    expect(answers.map((res) => res.status)).toEqual(Array(2 * AT_ONCE).fill(200));
    expect(count(await eventTypes(app(), workspace.id, key.body.id), 'access_token.enabled')).toBe(1);
    expect(count(await eventTypes(app(), workspace.id, agent.body.agent.id), 'agent.enabled')).toBe(1);
  });

  it('removing one member four times at once: one 204, the others 404, one member.removed', async () => {
    const { workspace, members } = await createTeam(app());
    const path = `/api/v1/workspaces/${workspace.id}/members/${members.viewer.id}`;
    const answers = await Promise.all(Array.from({ length: AT_ONCE }, () => app().request('DELETE', path, { token: members.owner.token })));
    expect(answers.map((res) => res.status).sort()).toEqual([204, 404, 404, 404]);
    expect(count(await eventTypes(app(), workspace.id, members.viewer.id), 'member.removed')).toBe(1);
  });
});
