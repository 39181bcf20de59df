import { expect, it } from 'vitest';
import { createTeam, expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { registerAgent } from '../agents/helpers.js';
import { accessTokenRow, accessTokensPath, createAccessToken } from './helpers.js';

describeEachDialect('workspace access tokens: nobody goes above their own role', (app) => {
  it('each role creates tokens up to its own role and not one step above', async () => {
    const { workspace, members } = await createTeam(app());
    const cases = [
      ['workspace_manager', 'administrator'],
      ['administrator', 'owner'],
    ] as const;
    for (const [role, above] of cases) {
      await createAccessToken(app(), members[role], workspace, { scope: role });
      const res = await app().request('POST', accessTokensPath(workspace), {
        token: members[role].token,
        body: { label: 'too high', scope: above },
      });
      expectError(res, 403, 'ROLE_ESCALATION');
    }
    await createAccessToken(app(), members.owner, workspace, { scope: 'owner' });
    const stored = await app()
      .ctx.db.selectFrom('workspace_access_tokens')
      .select('scope')
      .where('workspace_id', '=', workspace.id)
      .execute();
    expect(stored.map((r) => r.scope).sort()).toEqual(['administrator', 'owner', 'workspace_manager']);
  });

  it('a Workspace Manager cannot raise a token above their role', async () => {
    const { workspace, members } = await createTeam(app());
    const token = await createAccessToken(app(), members.workspace_manager, workspace, { scope: 'viewer' });
    const res = await app().request('PATCH', accessTokensPath(workspace, token.id), {
      token: members.workspace_manager.token,
      body: { scope: 'administrator' },
    });
    expectError(res, 403, 'ROLE_ESCALATION');
    expect((await accessTokenRow(app(), token.id))?.scope).toBe('viewer');
    const raised = await app().request('PATCH', accessTokensPath(workspace, token.id), {
      token: members.workspace_manager.token,
      body: { scope: 'workspace_manager' },
    });
    expect(raised.status).toBe(200);
    expect(raised.body.scope).toBe('workspace_manager');
  });

  it("nobody edits, disables or deletes a token scoped above their role (an Administrator and the Owner's key)", async () => {
    const { workspace, members } = await createTeam(app());
    const ownerKey = await createAccessToken(app(), members.owner, workspace, { scope: 'owner', label: 'owner key' });
    const admin = members.administrator.token;
    for (const body of [
      { label: 'mine now' },
      { expiresAt: new Date(Date.now() + 3_600_000).toISOString() },
      { scope: 'viewer' },
      { enabled: false },
    ]) {
      expectError(await app().request('PATCH', accessTokensPath(workspace, ownerKey.id), { token: admin, body }), 403, 'ROLE_ESCALATION');
    }
    expectError(await app().request('DELETE', accessTokensPath(workspace, ownerKey.id), { token: admin }), 403, 'ROLE_ESCALATION');
    expect(await accessTokenRow(app(), ownerKey.id)).toMatchObject({
      label: 'owner key',
      scope: 'owner',
      expires_at: ownerKey.expiresAt,
      disabled_at: null,
    });
  });

  it('tokens cannot manage tokens: even an owner-scoped key or an agent gets 403 on every route', async () => {
    const { workspace, members } = await createTeam(app());
    const ownerKey = await createAccessToken(app(), members.owner, workspace, { scope: 'owner' });
    const agent = await registerAgent(app(), ownerKey.token, workspace);
    for (const credential of [ownerKey.token, agent.token]) {
      const routes = [
        ['GET', accessTokensPath(workspace), undefined],
        ['POST', accessTokensPath(workspace), { label: 'minted', scope: 'owner' }],
        ['PATCH', accessTokensPath(workspace, ownerKey.id), { enabled: false }],
        ['DELETE', accessTokensPath(workspace, ownerKey.id), undefined],
      ] as const;
      for (const [method, path, body] of routes) {
        const res = await app().request(method, path, { token: credential, body });
        expectError(res, 403, 'TOKEN_CANNOT_MANAGE_TOKENS');
        expect(res.body.error).toMatch(/cannot manage tokens/i);
      }
    }
    const rows = await app().ctx.db.selectFrom('workspace_access_tokens').selectAll().where('workspace_id', '=', workspace.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.disabled_at).toBeNull();
  });
});
