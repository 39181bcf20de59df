import { expect, it } from 'vitest';
import { addMember, createAdmin, createTeam, createUser, createWorkspace, expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';

describeEachDialect('workspaces and members', (app) => {
  it('walks the whole flow: register → sign in → workspace → invite → accept → change role → remove', async () => {
    const owner = await createUser(app());
    const ws = await app().request('POST', '/api/v1/workspaces', { token: owner.token, body: { name: 'Acme' } });
    expect(ws.status).toBe(201);
    expect(ws.body).toMatchObject({ name: 'Acme', plan: 'pro', role: 'owner', createdBy: owner.id });
    expect(ws.body.id).toMatch(/^wsp_/);

    const mine = await app().request('GET', '/api/v1/workspaces', { token: owner.token });
    expect(mine.body).toEqual({ items: [expect.objectContaining({ id: ws.body.id, role: 'owner' })], nextCursor: null });

    const bob = await createUser(app(), { name: 'Bob' });
    const invited = await app().request('POST', `/api/v1/workspaces/${ws.body.id}/invitations`, {
      token: owner.token,
      body: { email: bob.email, role: 'viewer' },
    });
    expect(invited.status).toBe(201);
    expectError(await app().request('GET', `/api/v1/workspaces/${ws.body.id}`, { token: bob.token }), 404, 'NOT_FOUND');
    const added = await app().request('POST', `/api/v1/invitations/${invited.body.id}/accept`, { token: bob.token });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ userId: bob.id, role: 'viewer', name: 'Bob' });

    const promoted = await app().request('PATCH', `/api/v1/workspaces/${ws.body.id}/members/${bob.id}`, {
      token: owner.token,
      body: { role: 'team_member' },
    });
    expect(promoted.body.role).toBe('team_member');
    const bobSees = await app().request('GET', `/api/v1/workspaces/${ws.body.id}`, { token: bob.token });
    expect(bobSees.body.role).toBe('team_member');

    const removed = await app().request('DELETE', `/api/v1/workspaces/${ws.body.id}/members/${bob.id}`, { token: owner.token });
    expect(removed.status).toBe(204);
    expectError(await app().request('GET', `/api/v1/workspaces/${ws.body.id}`, { token: bob.token }), 404, 'NOT_FOUND');
    const members = await app().request('GET', `/api/v1/workspaces/${ws.body.id}/members`, { token: owner.token });
    expect(members.body.items.map((m: { userId: string }) => m.userId)).toEqual([owner.id]);

    const events = await app().request('GET', `/api/v1/workspaces/${ws.body.id}/events`, { token: owner.token });
    expect(events.body.items.map((e: { type: string }) => e.type)).toEqual([
      'member.removed',
      'member.role_changed',
      'member.added',
      'member.invited',
      'workspace.created',
    ]);
  });

  it('keeps at least one Owner: the last one can be neither demoted nor removed', async () => {
    const owner = await createUser(app());
    const ws = await createWorkspace(app(), owner);
    expectError(
      await app().request('PATCH', `/api/v1/workspaces/${ws.id}/members/${owner.id}`, {
        token: owner.token,
        body: { role: 'administrator' },
      }),
      409,
      'LAST_OWNER',
    );
    expectError(
      await app().request('DELETE', `/api/v1/workspaces/${ws.id}/members/${owner.id}`, { token: owner.token }),
      409,
      'LAST_OWNER',
    );

    const second = await createUser(app());
    await addMember(app(), owner, ws, second, 'owner');
    const demoted = await app().request('PATCH', `/api/v1/workspaces/${ws.id}/members/${owner.id}`, {
      token: second.token,
      body: { role: 'viewer' },
    });
    expect(demoted.status).toBe(200);
    expectError(
      await app().request('DELETE', `/api/v1/workspaces/${ws.id}/members/${second.id}`, { token: second.token }),
      409,
      'LAST_OWNER',
    );
  });

  it('refuses every role escalation: nobody grants or changes a role above their own', async () => {
    const { workspace, members } = await createTeam(app());
    const manager = members.workspace_manager;
    const newcomer = await createUser(app());
    const path = `/api/v1/workspaces/${workspace.id}/members`;
    for (const role of ['administrator', 'owner']) {
      expectError(
        await app().request('POST', `/api/v1/workspaces/${workspace.id}/invitations`, {
          token: manager.token,
          body: { email: newcomer.email, role },
        }),
        403,
        'ROLE_ESCALATION',
      );
    }
    expectError(
      await app().request('PATCH', `${path}/${manager.id}`, { token: manager.token, body: { role: 'owner' } }),
      403,
      'ROLE_ESCALATION',
    );
    expectError(
      await app().request('PATCH', `${path}/${members.administrator.id}`, { token: manager.token, body: { role: 'viewer' } }),
      403,
      'ROLE_ESCALATION',
    );
    expectError(
      await app().request('DELETE', `${path}/${members.owner.id}`, { token: members.administrator.token }),
      403,
      'ROLE_ESCALATION',
    );
    const roles = await app().request('GET', path, { token: members.owner.token });
    expect(Object.fromEntries(roles.body.items.map((m: { userId: string; role: string }) => [m.userId, m.role]))).toMatchObject({
      [manager.id]: 'workspace_manager',
      [members.administrator.id]: 'administrator',
      [members.owner.id]: 'owner',
    });
    expect(roles.body.items.some((m: { userId: string }) => m.userId === newcomer.id)).toBe(false);
  });

  it('lets a manager invite at or below their role, and a member without members:write gets 403', async () => {
    const { workspace, members } = await createTeam(app());
    const newcomer = await createUser(app());
    const path = `/api/v1/workspaces/${workspace.id}/invitations`;
    expectError(
      await app().request('POST', path, { token: members.team_member.token, body: { email: newcomer.email, role: 'viewer' } }),
      403,
      'PERMISSION_DENIED',
    );
    const invited = await app().request('POST', path, {
      token: members.workspace_manager.token,
      body: { email: newcomer.email, role: 'workspace_manager' },
    });
    expect(invited.status).toBe(201);
    expect((await app().request('POST', `/api/v1/invitations/${invited.body.id}/accept`, { token: newcomer.token })).status).toBe(200);
    expectError(
      await app().request('POST', path, { token: members.owner.token, body: { email: newcomer.email, role: 'viewer' } }),
      409,
      'ALREADY_MEMBER',
    );
  });

  it('lets any member leave from a session, but not remove others without permission', async () => {
    const { workspace, members } = await createTeam(app());
    const path = `/api/v1/workspaces/${workspace.id}/members`;
    expectError(
      await app().request('DELETE', `${path}/${members.team_member.id}`, { token: members.viewer.token }),
      403,
      'PERMISSION_DENIED',
    );
    expect((await app().request('DELETE', `${path}/${members.viewer.id}`, { token: members.viewer.token })).status).toBe(204);
  });

  it('gates rename on workspace:write, delete on Owner, and plan on instance admins', async () => {
    const { workspace, members } = await createTeam(app());
    const path = `/api/v1/workspaces/${workspace.id}`;
    expectError(
      await app().request('PATCH', path, { token: members.workspace_manager.token, body: { name: 'X' } }),
      403,
      'PERMISSION_DENIED',
    );
    expect((await app().request('PATCH', path, { token: members.administrator.token, body: { name: 'Renamed' } })).body.name).toBe(
      'Renamed',
    );
    expectError(await app().request('PATCH', path, { token: members.owner.token, body: { plan: 'team' } }), 403, 'ADMIN_ONLY');
    const admin = await createAdmin(app());
    expect((await app().request('PATCH', path, { token: admin.token, body: { plan: 'free' } })).body.plan).toBe('free');
    expectError(await app().request('DELETE', path, { token: members.administrator.token }), 403, 'PERMISSION_DENIED');
    expect((await app().request('DELETE', path, { token: members.owner.token })).status).toBe(204);
    expectError(await app().request('GET', path, { token: members.owner.token }), 404, 'NOT_FOUND');
  });

  it('hides workspaces from outsiders with 404', async () => {
    const { workspace, outsider } = await createTeam(app());
    expectError(await app().request('GET', `/api/v1/workspaces/${workspace.id}`, { token: outsider.token }), 404, 'NOT_FOUND');
    expectError(await app().request('GET', `/api/v1/workspaces/${workspace.id}/members`, { token: outsider.token }), 404, 'NOT_FOUND');
  });
});
