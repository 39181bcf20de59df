import { expect, it } from 'vitest';
import { createAdmin, createTeam, createUser, createWorkspace, expectError, uniqueEmail } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';

const invite = (workspaceId: string) => `/api/v1/workspaces/${workspaceId}/invitations`;

describeEachDialect('invitations', (app) => {
  it('answers the same for a registered and an unknown address, and nobody joins before accepting', async () => {
    const owner = await createUser(app());
    const ws = await createWorkspace(app(), owner);
    const bob = await createUser(app());
    const known = await app().request('POST', invite(ws.id), { token: owner.token, body: { email: bob.email, role: 'viewer' } });
    const unknown = await app().request('POST', invite(ws.id), {
      token: owner.token,
      body: { email: uniqueEmail('nobody'), role: 'viewer' },
    });
    expect(known.status).toBe(201);
    expect(unknown.status).toBe(201);
    expect(Object.keys(known.body).sort()).toEqual(Object.keys(unknown.body).sort());
    expect(known.body).toMatchObject({
      workspaceId: ws.id,
      email: bob.email,
      role: 'viewer',
      status: 'pending',
      invitedBy: { type: 'user', id: owner.id },
    });
    expect(JSON.stringify(known.body)).not.toContain(bob.id);

    expectError(await app().request('GET', `/api/v1/workspaces/${ws.id}`, { token: bob.token }), 404, 'NOT_FOUND');
    const mine = await app().request('GET', '/api/v1/me/invitations', { token: bob.token });
    expect(mine.body.items).toEqual([expect.objectContaining({ id: known.body.id, workspaceName: ws.name, role: 'viewer' })]);
  });

  it('never adds an instance admin (or anyone) through the old members route: it invites', async () => {
    const owner = await createUser(app());
    const ws = await createWorkspace(app(), owner);
    const admin = await createAdmin(app());
    const legacy = await app().request('POST', `/api/v1/workspaces/${ws.id}/members`, {
      token: owner.token,
      body: { email: admin.email, role: 'owner' },
    });
    expect(legacy.status).toBe(201);
    expect(legacy.body).toMatchObject({ status: 'pending', email: admin.email });
    const members = await app().request('GET', `/api/v1/workspaces/${ws.id}/members`, { token: owner.token });
    expect(members.body.items.map((m: { userId: string }) => m.userId)).toEqual([owner.id]);
    // An unknown address is no longer a 404 that tells who has an account.
    expect(
      (
        await app().request('POST', `/api/v1/workspaces/${ws.id}/members`, {
          token: owner.token,
          body: { email: uniqueEmail('ghost'), role: 'viewer' },
        })
      ).status,
    ).toBe(201);
  });

  it('joins with the offered role on acceptance and records member.invited then member.added', async () => {
    const owner = await createUser(app());
    const ws = await createWorkspace(app(), owner);
    const bob = await createUser(app());
    const invited = await app().request('POST', invite(ws.id), {
      token: owner.token,
      body: { email: bob.email.toUpperCase(), role: 'team_member' },
    });
    const accepted = await app().request('POST', `/api/v1/invitations/${invited.body.id}/accept`, { token: bob.token });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ userId: bob.id, role: 'team_member' });
    expect((await app().request('GET', `/api/v1/workspaces/${ws.id}`, { token: bob.token })).body.role).toBe('team_member');
    const events = await app().request('GET', `/api/v1/workspaces/${ws.id}/events`, { token: owner.token });
    expect(events.body.items.map((e: { type: string }) => e.type).slice(0, 2)).toEqual(['member.added', 'member.invited']);
    expectError(
      await app().request('POST', `/api/v1/invitations/${invited.body.id}/accept`, { token: bob.token }),
      409,
      'INVITATION_NOT_PENDING',
    );
    expect((await app().request('GET', '/api/v1/me/invitations', { token: bob.token })).body.items).toEqual([]);
  });

  it("answers someone else's invitation with the same 404 as a missing one", async () => {
    const owner = await createUser(app());
    const ws = await createWorkspace(app(), owner);
    const bob = await createUser(app());
    const mallory = await createUser(app());
    const invited = await app().request('POST', invite(ws.id), { token: owner.token, body: { email: bob.email, role: 'viewer' } });
    expectError(await app().request('POST', `/api/v1/invitations/${invited.body.id}/accept`, { token: mallory.token }), 404, 'NOT_FOUND');
    expectError(await app().request('POST', `/api/v1/invitations/inv_doesnotexist/accept`, { token: mallory.token }), 404, 'NOT_FOUND');
    expectError(await app().request('POST', `/api/v1/invitations/${invited.body.id}/decline`, { token: mallory.token }), 404, 'NOT_FOUND');
    expectError(await app().request('GET', `/api/v1/workspaces/${ws.id}`, { token: mallory.token }), 404, 'NOT_FOUND');
  });

  it('lets the invitee decline, and an administrator revoke; neither can be accepted after', async () => {
    const { workspace, members } = await createTeam(app());
    const bob = await createUser(app());
    const carol = await createUser(app());
    const forBob = await app().request('POST', invite(workspace.id), {
      token: members.administrator.token,
      body: { email: bob.email, role: 'viewer' },
    });
    const forCarol = await app().request('POST', invite(workspace.id), {
      token: members.administrator.token,
      body: { email: carol.email, role: 'administrator' },
    });
    expect((await app().request('POST', `/api/v1/invitations/${forBob.body.id}/decline`, { token: bob.token })).status).toBe(204);
    expectError(
      await app().request('POST', `/api/v1/invitations/${forBob.body.id}/accept`, { token: bob.token }),
      409,
      'INVITATION_NOT_PENDING',
    );

    // A manager may not withdraw an invitation offering a role above their own.
    expectError(
      await app().request('DELETE', `${invite(workspace.id)}/${forCarol.body.id}`, { token: members.workspace_manager.token }),
      403,
      'ROLE_ESCALATION',
    );
    expectError(await app().request('GET', invite(workspace.id), { token: members.viewer.token }), 403, 'PERMISSION_DENIED');
    expect(
      (await app().request('DELETE', `${invite(workspace.id)}/${forCarol.body.id}`, { token: members.administrator.token })).status,
    ).toBe(204);
    const refused = await app().request('POST', `/api/v1/invitations/${forCarol.body.id}/accept`, { token: carol.token });
    expectError(refused, 409, 'INVITATION_NOT_PENDING');
    expect(refused.body.status).toBe('revoked');

    const listed = await app().request('GET', invite(workspace.id), { token: members.administrator.token });
    const statuses = Object.fromEntries(listed.body.items.map((i: { email: string; status: string }) => [i.email, i.status]));
    expect(statuses).toMatchObject({ [bob.email]: 'declined', [carol.email]: 'revoked', [members.viewer.email]: 'accepted' });
  });

  it('refuses an expired invitation, and inviting again renews the pending one', async () => {
    const owner = await createUser(app());
    const ws = await createWorkspace(app(), owner);
    const bob = await createUser(app());
    const first = await app().request('POST', invite(ws.id), { token: owner.token, body: { email: bob.email, role: 'viewer' } });
    await app()
      .ctx.db.updateTable('workspace_invitations')
      .set({ expires_at: '2000-01-01T00:00:00.000Z' })
      .where('id', '=', first.body.id)
      .execute();
    expect((await app().request('GET', '/api/v1/me/invitations', { token: bob.token })).body.items).toEqual([]);
    const expired = await app().request('POST', `/api/v1/invitations/${first.body.id}/accept`, { token: bob.token });
    expectError(expired, 409, 'INVITATION_NOT_PENDING');
    expect(expired.body.status).toBe('expired');

    const again = await app().request('POST', invite(ws.id), { token: owner.token, body: { email: bob.email, role: 'team_member' } });
    expect(again.body).toMatchObject({ id: first.body.id, role: 'team_member', status: 'pending' });
    expect((await app().request('POST', `/api/v1/invitations/${first.body.id}/accept`, { token: bob.token })).body.role).toBe(
      'team_member',
    );
  });

  it("takes answers from a session only, and invitations from members:write within the inviter's role", async () => {
    const { workspace, members } = await createTeam(app());
    const bob = await createUser(app());
    expectError(
      await app().request('POST', invite(workspace.id), {
        token: members.workspace_manager.token,
        body: { email: bob.email, role: 'administrator' },
      }),
      403,
      'ROLE_ESCALATION',
    );
    expectError(
      await app().request('POST', invite(workspace.id), { token: members.team_member.token, body: { email: bob.email, role: 'viewer' } }),
      403,
      'PERMISSION_DENIED',
    );
    const invited = await app().request('POST', invite(workspace.id), {
      token: members.workspace_manager.token,
      body: { email: bob.email, role: 'viewer' },
    });
    await createWorkspace(app(), bob);
    const pat = await app().request('POST', '/api/v1/tokens', { token: bob.token, body: { name: 'script' } });
    expect(pat.status).toBe(201);
    expectError(
      await app().request('POST', `/api/v1/invitations/${invited.body.id}/accept`, { token: pat.body.token }),
      403,
      'SESSION_REQUIRED',
    );
    expect((await app().request('GET', '/api/v1/me/invitations', { token: pat.body.token })).body.items).toHaveLength(1);
  });

  it('refuses bad input in the error envelope without changing anything', async () => {
    const owner = await createUser(app());
    const ws = await createWorkspace(app(), owner);
    expectError(
      await app().request('POST', invite(ws.id), { token: owner.token, body: { email: 'not-an-email', role: 'viewer' } }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await app().request('POST', invite(ws.id), { token: owner.token, body: { email: uniqueEmail(), role: 'emperor' } }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await app().request('POST', invite(ws.id), { token: owner.token, body: { email: uniqueEmail(), role: 'viewer', extra: 1 } }),
      400,
      'VALIDATION_FAILED',
    );
    expect((await app().request('GET', invite(ws.id), { token: owner.token })).body.items).toEqual([]);
  });
});
