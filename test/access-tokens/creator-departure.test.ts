import { expect, it } from 'vitest';
import { addMember, createAdmin, createTeam, createUser, createWorkspace, expectError } from '../helpers/factories.js';
import { describeEachDialect, type TestApp } from '../helpers/harness.js';
import { registerAgent } from '../agents/helpers.js';
import { accessTokensPath, createAccessToken } from './helpers.js';

const membersPath = (workspaceId: string, userId: string) => `/api/v1/workspaces/${workspaceId}/members/${userId}`;

/** An administrator's team API key, an agent they registered, and one the key registered. */
async function credentialsOfAdministrator(t: TestApp) {
  const { workspace, members } = await createTeam(t, { plan: 'pro' });
  const admin = members.administrator;
  const key = await createAccessToken(t, admin, workspace, { scope: 'administrator' });
  const agent = await registerAgent(t, admin.token, workspace, 'Admin bot');
  const keysAgent = await registerAgent(t, key.token, workspace, 'Key bot');
  return { workspace, members, admin, key, agent, keysAgent };
}

describeEachDialect('credentials of a departed member', (app) => {
  it('disables the tokens and agents of a removed administrator on their very next request, so he cannot re-add himself', async () => {
    const { workspace, members, admin, key, agent, keysAgent } = await credentialsOfAdministrator(app());
    // Used (and, on SQLite, read into the prepared-read cache) just before the removal.
    for (const credential of [key.token, agent.token, keysAgent.token]) {
      expect((await app().request('GET', `/api/v1/workspaces/${workspace.id}/agents`, { token: credential })).status).toBe(200);
    }
    expect((await app().request('DELETE', membersPath(workspace.id, admin.id), { token: members.owner.token })).status).toBe(204);

    const refused = await app().request('POST', `/api/v1/workspaces/${workspace.id}/invitations`, {
      token: key.token,
      body: { email: admin.email, role: 'administrator' },
    });
    expectError(refused, 401, 'TOKEN_DISABLED');
    expect(refused.body.reason).toBe('creator_removed');
    for (const credential of [agent.token, keysAgent.token]) {
      const res = await app().request('GET', `/api/v1/workspaces/${workspace.id}/agents`, { token: credential });
      expectError(res, 401, 'TOKEN_DISABLED');
      expect(res.body.reason).toBe('creator_removed');
    }

    const listed = await app().request('GET', accessTokensPath(workspace), { token: members.owner.token });
    expect(listed.body.items).toEqual([expect.objectContaining({ id: key.id, status: 'disabled', disabledReason: 'creator_removed' })]);
    const agents = await app().request('GET', `/api/v1/workspaces/${workspace.id}/agents`, { token: members.owner.token });
    expect(agents.body.items.map((a: { status: string; disabledReason: string }) => [a.status, a.disabledReason])).toEqual([
      ['disabled', 'creator_removed'],
      ['disabled', 'creator_removed'],
    ]);
    const events = await app().request('GET', `/api/v1/workspaces/${workspace.id}/events`, { token: members.owner.token });
    expect(events.body.items.filter((e: { type: string }) => e.type.endsWith('.disabled'))).toHaveLength(3);
  });

  it('lets an administrator re-enable them, who then answers for them', async () => {
    const { workspace, members, admin, key, agent } = await credentialsOfAdministrator(app());
    await app().request('DELETE', membersPath(workspace.id, admin.id), { token: members.owner.token });
    const enabled = await app().request('PATCH', accessTokensPath(workspace, key.id), {
      token: members.owner.token,
      body: { enabled: true },
    });
    expect(enabled.body).toMatchObject({ status: 'active', disabledReason: null, createdBy: members.owner.id });
    expect((await app().request('GET', `/api/v1/workspaces/${workspace.id}`, { token: key.token })).status).toBe(200);
    const revived = await app().request('PATCH', `/api/v1/agents/${agent.id}`, { token: members.owner.token, body: { enabled: true } });
    expect(revived.body).toMatchObject({ status: 'active', disabledReason: null, createdBy: { type: 'user', id: members.owner.id } });
    expect((await app().request('GET', `/api/v1/workspaces/${workspace.id}/agents`, { token: agent.token })).status).toBe(200);
    // A manual disabling says so.
    const off = await app().request('PATCH', `/api/v1/agents/${agent.id}`, { token: members.owner.token, body: { enabled: false } });
    expect(off.body).toMatchObject({ status: 'disabled', disabledReason: 'manual' });
    expect((await app().request('GET', `/api/v1/workspaces/${workspace.id}/agents`, { token: agent.token })).body.reason).toBe('manual');
  });

  it('disables them when their creator leaves', async () => {
    const { workspace, admin, key } = await credentialsOfAdministrator(app());
    expect((await app().request('DELETE', membersPath(workspace.id, admin.id), { token: admin.token })).status).toBe(204);
    expectError(await app().request('GET', `/api/v1/workspaces/${workspace.id}`, { token: key.token }), 401, 'TOKEN_DISABLED');
  });

  it('disables them in every workspace when their creator is blocked, and unblocking leaves them disabled', async () => {
    const { workspace, members, admin, key, agent } = await credentialsOfAdministrator(app());
    const other = await createWorkspace(app(), admin, { plan: 'pro' });
    const otherKey = await createAccessToken(app(), admin, other, { scope: 'owner' });
    const untouched = await createAccessToken(app(), members.owner, workspace, { scope: 'viewer' });
    const instanceAdmin = await createAdmin(app());
    expect((await app().request('POST', `/api/v1/admin/users/${admin.id}/block`, { token: instanceAdmin.token })).status).toBe(200);
    for (const credential of [key.token, otherKey.token, agent.token]) {
      const res = await app().request('GET', '/api/v1/me', { token: credential });
      expectError(res, 401, 'TOKEN_DISABLED');
      expect(res.body.reason).toBe('creator_blocked');
    }
    expect((await app().request('GET', '/api/v1/me', { token: untouched.token })).status).toBe(200);
    expect((await app().request('POST', `/api/v1/admin/users/${admin.id}/unblock`, { token: instanceAdmin.token })).status).toBe(200);
    expectError(await app().request('GET', '/api/v1/me', { token: key.token }), 401, 'TOKEN_DISABLED');
  });

  it("leaves other members' credentials and the member's credentials elsewhere alone", async () => {
    const owner = await createUser(app());
    const ws = await createWorkspace(app(), owner, { plan: 'pro' });
    const elsewhere = await createWorkspace(app(), owner, { plan: 'pro' });
    const admin = await createUser(app());
    await addMember(app(), owner, ws, admin, 'administrator');
    await addMember(app(), owner, elsewhere, admin, 'administrator');
    const kept = await createAccessToken(app(), admin, elsewhere, { scope: 'viewer' });
    const ownersKey = await createAccessToken(app(), owner, ws, { scope: 'viewer' });
    await app().request('DELETE', membersPath(ws.id, admin.id), { token: owner.token });
    expect((await app().request('GET', '/api/v1/me', { token: kept.token })).status).toBe(200);
    expect((await app().request('GET', '/api/v1/me', { token: ownersKey.token })).status).toBe(200);
  });
});
