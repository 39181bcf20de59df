import { expect, it } from 'vitest';
import { addMember, createUser, createWorkspace, expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { registerAgent } from '../agents/helpers.js';
import { createToken, tokenOwner } from './helpers.js';

describeEachDialect('what a token holds, as /me and /workspaces tell it', (app) => {
  it("/me gives a personal token's effective permissions per workspace: granted ∩ the owner's role now", async () => {
    const { owner } = await tokenOwner(app());
    const boss = await createUser(app());
    const team = await createWorkspace(app(), boss, { name: 'Team' });
    await addMember(app(), boss, team, owner, 'viewer');
    await createWorkspace(app(), owner, { name: 'Free', plan: 'free' });
    const token = await createToken(app(), owner, { permissions: ['tasks:read', 'tasks:create', 'workspace:read'] });
    const me = await app().request('GET', '/api/v1/me', { token: token.token });
    const inTeam = me.body.token.workspaces.find((w: { workspaceId: string }) => w.workspaceId === team.id);
    expect(inTeam).toEqual({ workspaceId: team.id, role: 'viewer', permissions: expect.arrayContaining(['tasks:read', 'workspace:read']) });
    expect(inTeam.permissions).not.toContain('tasks:create');
    expect(me.body.token.workspaces).toHaveLength(2);

    await app().request('PATCH', `/api/v1/workspaces/${team.id}/members/${owner.id}`, { token: boss.token, body: { role: 'team_member' } });
    const after = await app().request('GET', '/api/v1/me', { token: token.token });
    expect(after.body.token.workspaces.find((w: { workspaceId: string }) => w.workspaceId === team.id).permissions).toContain(
      'tasks:create',
    );
  });

  it('/me answers the same while nothing changes, and at once tells a rename of the token or a new membership', async () => {
    const { owner } = await tokenOwner(app());
    const token = await createToken(app(), owner, { name: 'first name' });
    const first = await app().request('GET', '/api/v1/me', { token: token.token });
    const again = await app().request('GET', '/api/v1/me', { token: token.token });
    expect(first.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(again.body).toEqual(first.body);
    expect(first.body.token.name).toBe('first name');

    await app().request('PATCH', `/api/v1/tokens/${token.id}`, { token: owner.token, body: { name: 'second name' } });
    const renamed = await app().request('GET', '/api/v1/me', { token: token.token });
    expect(renamed.body.token.name).toBe('second name');

    const boss = await createUser(app());
    const team = await createWorkspace(app(), boss, { name: 'Team' });
    await addMember(app(), boss, team, owner, 'viewer');
    const joined = await app().request('GET', '/api/v1/me', { token: token.token });
    expect(joined.body.token.workspaces.map((w: { workspaceId: string }) => w.workspaceId)).toContain(team.id);
    expect(joined.body.token.workspaces).toHaveLength(renamed.body.token.workspaces.length + 1);
  });

  it('GET /workspaces shows a token only the workspaces it may read, and refuses agents', async () => {
    const { owner, workspace } = await tokenOwner(app());
    const free = await createWorkspace(app(), owner, { name: 'Free', plan: 'free' });
    const token = await createToken(app(), owner);
    const listed = await app().request('GET', '/api/v1/workspaces', { token: token.token });
    expect(listed.body.items.map((w: { id: string }) => w.id)).toEqual([workspace.id]);
    const sessionList = await app().request('GET', '/api/v1/workspaces', { token: owner.token });
    expect(sessionList.body.items.map((w: { id: string }) => w.id).sort()).toEqual([workspace.id, free.id].sort());
    const blind = await createToken(app(), owner, { permissions: ['tasks:read'] });
    expect((await app().request('GET', '/api/v1/workspaces', { token: blind.token })).body.items).toEqual([]);
    const agent = await registerAgent(app(), owner.token, workspace);
    const refused = await app().request('GET', '/api/v1/workspaces', { token: agent.token });
    expectError(refused, 403, 'AGENT_NOT_ALLOWED');
    expect(refused.body.error).toBe('Agent tokens cannot view workspace settings');
  });
});
