import { expect, it } from 'vitest';
import { addMember, createAdmin, createUser, createWorkspace, expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { createToken, expireToken, tokenOwner } from './helpers.js';

describeEachDialect('personal tokens: using one', (app) => {
  it('answers GET /me with the owner and the token it holds', async () => {
    const { owner } = await tokenOwner(app());
    const { id, token } = await createToken(app(), owner, { name: 'script', permissions: ['tasks:read'] });
    const me = await app().request('GET', '/api/v1/me', { token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      id: owner.id,
      email: owner.email,
      token: { id, name: 'script', kind: 'personal', permissions: ['tasks:read'], projectIds: null },
    });
    expect(me.headers.get('ratelimit-policy')).toBe('"default";q=100;w=60');
  });

  it('reaches the workspace API within its permissions; 403 names the missing permission', async () => {
    const { owner, workspace } = await tokenOwner(app());
    const { token } = await createToken(app(), owner, { permissions: ['workspace:read'] });
    const read = await app().request('GET', `/api/v1/workspaces/${workspace.id}`, { token });
    expect(read.status).toBe(200);
    const rename = await app().request('PATCH', `/api/v1/workspaces/${workspace.id}`, { token, body: { name: 'taken over' } });
    expectError(rename, 403, 'PERMISSION_DENIED');
    expect(rename.body.missingPermission).toBe('workspace:write');
    const invite = await app().request('POST', `/api/v1/workspaces/${workspace.id}/invitations`, {
      token,
      body: { email: 'x@example.test', role: 'owner' },
    });
    expectError(invite, 403, 'PERMISSION_DENIED');
    expect(invite.body.missingPermission).toBe('members:write');
    expect((await app().request('GET', `/api/v1/workspaces/${workspace.id}`, { token: owner.token })).body.name).toBe(workspace.name);
  });

  it('never grants more than the owner’s role, and follows a demotion or removal on the next request', async () => {
    const { owner, workspace } = await tokenOwner(app());
    const member = await createUser(app());
    await addMember(app(), owner, workspace, member, 'administrator');
    const { token } = await createToken(app(), member);
    const rename = () => app().request('PATCH', `/api/v1/workspaces/${workspace.id}`, { token, body: { name: 'renamed by token' } });
    expect((await rename()).status).toBe(200);

    await app().request('PATCH', `/api/v1/workspaces/${workspace.id}/members/${member.id}`, {
      token: owner.token,
      body: { role: 'viewer' },
    });
    const demoted = await rename();
    expectError(demoted, 403, 'PERMISSION_DENIED');
    expect(demoted.body.missingPermission).toBe('workspace:write');
    expect((await app().request('GET', `/api/v1/workspaces/${workspace.id}`, { token })).status).toBe(200);

    await app().request('DELETE', `/api/v1/workspaces/${workspace.id}/members/${member.id}`, { token: owner.token });
    expectError(await app().request('GET', `/api/v1/workspaces/${workspace.id}`, { token }), 404, 'NOT_FOUND');
  });

  it('refuses a token on a free workspace with PLAN_UPGRADE_REQUIRED, while the session still works', async () => {
    const { owner } = await tokenOwner(app());
    const free = await createWorkspace(app(), owner, { plan: 'free' });
    const { token } = await createToken(app(), owner);
    expectError(await app().request('GET', `/api/v1/workspaces/${free.id}`, { token }), 403, 'PLAN_UPGRADE_REQUIRED');
    expect((await app().request('GET', `/api/v1/workspaces/${free.id}`, { token: owner.token })).status).toBe(200);
  });

  it('follows a plan downgrade and a narrowing of its permissions on the very next request', async () => {
    const { owner, workspace } = await tokenOwner(app());
    const admin = await createAdmin(app());
    const { id, token } = await createToken(app(), owner);
    const read = () => app().request('GET', `/api/v1/workspaces/${workspace.id}`, { token });
    // Read twice: what the token comes to in this workspace may now be kept.
    expect((await read()).status).toBe(200);
    expect((await read()).status).toBe(200);

    expect(
      (await app().request('PATCH', `/api/v1/workspaces/${workspace.id}`, { token: admin.token, body: { plan: 'free' } })).status,
    ).toBe(200);
    expectError(await read(), 403, 'PLAN_UPGRADE_REQUIRED');
    expect((await app().request('PATCH', `/api/v1/workspaces/${workspace.id}`, { token: admin.token, body: { plan: 'pro' } })).status).toBe(
      200,
    );
    expect((await read()).status).toBe(200);

    expect(
      (await app().request('PATCH', `/api/v1/tokens/${id}`, { token: owner.token, body: { permissions: ['tasks:read'] } })).status,
    ).toBe(200);
    const narrowed = await read();
    expectError(narrowed, 403, 'PERMISSION_DENIED');
    expect(narrowed.body.missingPermission).toBe('workspace:read');
  });

  it('stops working once expired, with TOKEN_EXPIRED and WWW-Authenticate', async () => {
    const { owner } = await tokenOwner(app());
    const { id, token } = await createToken(app(), owner);
    expect((await app().request('GET', '/api/v1/me', { token })).status).toBe(200);
    await expireToken(app(), id);
    const res = await app().request('GET', '/api/v1/me', { token });
    expectError(res, 401, 'TOKEN_EXPIRED');
    expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  });

  it('stops working while its owner is blocked (USER_BLOCKED) and works again once unblocked', async () => {
    const admin = await createAdmin(app());
    const { owner } = await tokenOwner(app());
    const { token } = await createToken(app(), owner);
    await app().request('POST', `/api/v1/admin/users/${owner.id}/block`, { token: admin.token });
    const res = await app().request('GET', '/api/v1/me', { token });
    expectError(res, 401, 'USER_BLOCKED');
    expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    await app().request('POST', `/api/v1/admin/users/${owner.id}/unblock`, { token: admin.token });
    expect((await app().request('GET', '/api/v1/me', { token })).status).toBe(200);
  });

  it('refuses unknown and forged tokens with INVALID_TOKEN', async () => {
    const { owner } = await tokenOwner(app());
    const { token } = await createToken(app(), owner);
    const forged = token.slice(0, 4) + (token[4] === 'A' ? 'B' : 'A') + token.slice(5);
    for (const bad of [forged, `${token}x`, token.slice(0, -1), 'tgp_short']) {
      const res = await app().request('GET', '/api/v1/me', { token: bad });
      expectError(res, 401, 'INVALID_TOKEN');
      expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    }
  });

  it('cannot open a session: sign-in with a token is refused', async () => {
    const { owner } = await tokenOwner(app());
    const { token } = await createToken(app(), owner);
    const res = await app().request('POST', '/api/v1/auth/login', { token, body: { email: owner.email, password: owner.password } });
    expectError(res, 403, 'SESSION_REQUIRED');
    expect(res.headers.get('set-cookie')).toBeNull();
    expectError(await app().request('GET', '/api/v1/sessions', { token }), 403, 'SESSION_REQUIRED');
    expectError(await app().request('GET', '/api/v1/me/audit-log', { token }), 403, 'SESSION_REQUIRED');
  });

  it('is not accepted from a cookie: API tokens travel in the Authorization header only', async () => {
    const { owner } = await tokenOwner(app());
    const { token } = await createToken(app(), owner);
    expectError(await app().request('GET', '/api/v1/me', { headers: { cookie: `tg_session=${token}` } }), 401, 'UNAUTHENTICATED');
  });
});
