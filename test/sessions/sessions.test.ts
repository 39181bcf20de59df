import { expect, it } from 'vitest';
import { createUser, expectError, login } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

describeEachDialect('sessions and devices', (app) => {
  it('lists every session with its device label, marking the current one', async () => {
    const user = await createUser(app());
    const res = await app().request('POST', '/api/v1/auth/login', {
      body: { email: user.email, password: user.password },
      headers: { 'user-agent': FIREFOX },
    });
    const browser = res.body.sessionToken as string;
    const list = await app().request('GET', '/api/v1/sessions', { token: browser });
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(2);
    const current = list.body.items.find((s: { current: boolean }) => s.current);
    expect(current).toMatchObject({ deviceLabel: 'Firefox on Linux', userAgent: FIREFOX, ip: '127.0.0.1' });
    expect(list.body.items.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain(browser);
  });

  it('ends one session by id: that token stops, the others keep working', async () => {
    const user = await createUser(app());
    const second = await login(app(), user.email, user.password);
    const list = await app().request('GET', '/api/v1/sessions', { token: user.token });
    const other = list.body.items.find((s: { current: boolean }) => !s.current);
    expect((await app().request('DELETE', `/api/v1/sessions/${other.id}`, { token: user.token })).status).toBe(204);
    expectError(await app().request('GET', '/api/v1/me', { token: second }), 401, 'INVALID_TOKEN');
    expect((await app().request('GET', '/api/v1/me', { token: user.token })).status).toBe(200);
  });

  it("cannot end another user's session", async () => {
    const alice = await createUser(app());
    const bob = await createUser(app());
    const bobs = await app().request('GET', '/api/v1/sessions', { token: bob.token });
    expectError(await app().request('DELETE', `/api/v1/sessions/${bobs.body.items[0].id}`, { token: alice.token }), 404, 'NOT_FOUND');
    expect((await app().request('GET', '/api/v1/me', { token: bob.token })).status).toBe(200);
  });

  it('ends all sessions but the current one', async () => {
    const user = await createUser(app());
    const others = [await login(app(), user.email, user.password), await login(app(), user.email, user.password)];
    const res = await app().request('POST', '/api/v1/sessions/revoke-others', { token: user.token });
    expect(res.body).toEqual({ ended: 2 });
    for (const token of others) expectError(await app().request('GET', '/api/v1/me', { token }), 401, 'INVALID_TOKEN');
    const list = await app().request('GET', '/api/v1/sessions', { token: user.token });
    expect(list.body.items).toHaveLength(1);
  });

  it('keeps last-seen in memory and writes it in a batch, not per request', async () => {
    const user = await createUser(app());
    const before = await app()
      .ctx.db.selectFrom('sessions')
      .select(['id', 'last_seen_at'])
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    await new Promise((r) => setTimeout(r, 5));
    await app().request('GET', '/api/v1/me', { token: user.token });
    const unflushed = await app()
      .ctx.db.selectFrom('sessions')
      .select('last_seen_at')
      .where('id', '=', before.id)
      .executeTakeFirstOrThrow();
    expect(unflushed.last_seen_at).toBe(before.last_seen_at);
    const listed = await app().request('GET', '/api/v1/sessions', { token: user.token });
    expect(listed.body.items[0].lastSeenAt > before.last_seen_at).toBe(true);
    await app().ctx.usage.flush();
    const flushed = await app().ctx.db.selectFrom('sessions').select('last_seen_at').where('id', '=', before.id).executeTakeFirstOrThrow();
    expect(flushed.last_seen_at > before.last_seen_at).toBe(true);
  });
});
