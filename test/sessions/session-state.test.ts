import { expect, it } from 'vitest';
import { createAdmin, createUser } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { createToken, tokenOwner } from '../tokens/helpers.js';

describeEachDialect('GET /auth/session: is this browser signed in?', (app) => {
  it('answers the user of a session cookie or a session token, never cached', async () => {
    const user = await createUser(app(), { name: 'Grace' });
    const expected = {
      user: { id: user.id, email: user.email, name: 'Grace', isAdmin: false, blocked: false, createdAt: expect.any(String) },
    };
    const byCookie = await app().request('GET', '/api/v1/auth/session', { headers: { cookie: `tg_session=${user.token}` } });
    expect(byCookie.status).toBe(200);
    expect(byCookie.body).toEqual(expected);
    expect(byCookie.headers.get('cache-control')).toBe('no-store');
    expect((await app().request('GET', '/api/v1/auth/session', { token: user.token })).body).toEqual(expected);
  });

  it('answers user: null, with 200, without credentials, with an ended or made-up session, and with an API token', async () => {
    const { owner } = await tokenOwner(app());
    const { token: apiToken } = await createToken(app(), owner);
    const ended = (await createUser(app())).token;
    expect((await app().request('POST', '/api/v1/auth/logout', { token: ended })).status).toBe(204);
    const cases: Array<Record<string, string>> = [
      {},
      { cookie: `tg_session=${ended}` },
      { cookie: 'tg_session=tgs_not-a-real-token' },
      { authorization: `Bearer ${ended}` },
      { authorization: 'Bearer nonsense' },
      { authorization: `Bearer ${apiToken}` },
    ];
    for (const headers of cases) {
      const res = await app().request('GET', '/api/v1/auth/session', { headers });
      expect(res.status, JSON.stringify(headers)).toBe(200);
      expect(res.body, JSON.stringify(headers)).toEqual({ user: null });
    }
    // The ended session's cookie is cleared, as on any route.
    const stale = await app().request('GET', '/api/v1/auth/session', { headers: { cookie: `tg_session=${ended}` } });
    expect(stale.headers.get('set-cookie')).toMatch(/tg_session=;/);
  });

  it('stops answering a user as soon as an admin blocks them', async () => {
    const user = await createUser(app());
    const admin = await createAdmin(app());
    expect((await app().request('POST', `/api/v1/admin/users/${user.id}/block`, { token: admin.token })).status).toBe(200);
    expect((await app().request('GET', '/api/v1/auth/session', { token: user.token })).body).toEqual({ user: null });
    expect((await app().request('GET', '/api/v1/auth/session', { token: admin.token })).body.user).toMatchObject({
      id: admin.id,
      isAdmin: true,
    });
  });
});
