import { expect, it } from 'vitest';
import { createAdmin, createUser, expectError, login, uniqueEmail } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';

describeEachDialect('accounts', (app) => {
  it('registers, signs in with a tgs_ session token and answers /me', async () => {
    const user = await createUser(app(), { name: 'Ada' });
    expect(user.token).toMatch(/^tgs_[0-9A-Za-z]{38}$/);
    const me = await app().request('GET', '/api/v1/me', { token: user.token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: user.id, email: user.email, name: 'Ada', token: null });
  });

  it('sets an HttpOnly SameSite cookie that authenticates the browser', async () => {
    const user = await createUser(app());
    const res = await app().request('POST', '/api/v1/auth/login', { body: { email: user.email, password: user.password } });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const me = await app().request('GET', '/api/v1/me', { headers: { cookie: cookie.split(';')[0]! } });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(user.id);
  });

  it('refuses a wrong password and an unknown account alike', async () => {
    const user = await createUser(app());
    const wrong = await app().request('POST', '/api/v1/auth/login', { body: { email: user.email, password: 'not-the-password' } });
    expectError(wrong, 401, 'INVALID_CREDENTIALS');
    const unknown = await app().request('POST', '/api/v1/auth/login', { body: { email: uniqueEmail(), password: 'whatever1' } });
    expectError(unknown, 401, 'INVALID_CREDENTIALS');
  });

  it('refuses a duplicate email with 409 and keeps one account', async () => {
    const user = await createUser(app());
    const again = await app().request('POST', '/api/v1/auth/register', {
      body: { email: user.email.toUpperCase(), password: 'password-two-2', name: 'Dup' },
    });
    expectError(again, 409, 'EMAIL_TAKEN');
    const rows = await app().ctx.db.selectFrom('users').select('id').where('email', '=', user.email).execute();
    expect(rows).toHaveLength(1);
  });

  it('stores only a scrypt hash of the password and a SHA-256 of the session token', async () => {
    const user = await createUser(app());
    const row = await app().ctx.db.selectFrom('users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain(user.password);
    const sessions = await app().ctx.db.selectFrom('sessions').selectAll().where('user_id', '=', user.id).execute();
    expect(sessions.map((s) => s.token_hash)).not.toContain(user.token);
    expect(sessions.every((s) => /^[0-9a-f]{64}$/.test(s.token_hash))).toBe(true);
  });

  it('signs out: the session token stops working', async () => {
    const user = await createUser(app());
    const out = await app().request('POST', '/api/v1/auth/logout', { token: user.token });
    expect(out.status).toBe(204);
    expectError(await app().request('GET', '/api/v1/me', { token: user.token }), 401, 'INVALID_TOKEN');
  });

  it('lets an instance admin block a user: their sessions stop at once, and unblock', async () => {
    const admin = await createAdmin(app());
    const user = await createUser(app());
    const blocked = await app().request('POST', `/api/v1/admin/users/${user.id}/block`, { token: admin.token });
    expect(blocked.status).toBe(200);
    expect(blocked.body.user.blocked).toBe(true);
    const me = await app().request('GET', '/api/v1/me', { token: user.token });
    expect(me.status).toBe(401);
    const relogin = await app().request('POST', '/api/v1/auth/login', { body: { email: user.email, password: user.password } });
    expectError(relogin, 401, 'USER_BLOCKED');
    // A wrong password gets the very same answer: being blocked never confirms a guess.
    const guess = await app().request('POST', '/api/v1/auth/login', { body: { email: user.email, password: `${user.password}-wrong` } });
    expectError(guess, 401, 'USER_BLOCKED');
    expect({ ...guess.body, requestId: '' }).toEqual({ ...relogin.body, requestId: '' });
    await app().request('POST', `/api/v1/admin/users/${user.id}/unblock`, { token: admin.token });
    expect(await login(app(), user.email, user.password)).toMatch(/^tgs_/);
  });

  it('refuses blocking to anyone but an instance admin', async () => {
    const user = await createUser(app());
    const other = await createUser(app());
    expectError(await app().request('POST', `/api/v1/admin/users/${other.id}/block`, { token: user.token }), 403, 'ADMIN_ONLY');
    expect((await app().request('GET', '/api/v1/me', { token: other.token })).status).toBe(200);
  });
});
