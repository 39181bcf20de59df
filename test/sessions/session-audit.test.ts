import { expect, it } from 'vitest';
import { createUser, login } from '../helpers/factories.js';
import { describeEachDialect, type TestApp } from '../helpers/harness.js';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

interface Entry {
  action: string;
  targetType: string;
  targetId: string;
  ip: string | null;
  details: Record<string, unknown>;
}

async function sessionEntries(t: TestApp, token: string): Promise<Entry[]> {
  const res = await t.request('GET', '/api/v1/me/audit-log?limit=200', { token });
  expect(res.status).toBe(200);
  return (res.body.items as Entry[]).filter((e) => e.targetType === 'session');
}

async function sessionIds(t: TestApp, token: string): Promise<{ current: string; others: string[] }> {
  const items = (await t.request('GET', '/api/v1/sessions', { token })).body.items as { id: string; current: boolean }[];
  return { current: items.find((s) => s.current)!.id, others: items.filter((s) => !s.current).map((s) => s.id) };
}

describeEachDialect('session events in the audit log', (app) => {
  it('records a sign-in with its device and ip', async () => {
    const user = await createUser(app());
    const res = await app().request('POST', '/api/v1/auth/login', {
      body: { email: user.email, password: user.password },
      headers: { 'user-agent': FIREFOX },
    });
    const { current } = await sessionIds(app(), res.body.sessionToken);
    const entries = await sessionEntries(app(), user.token);
    expect(entries.filter((e) => e.action === 'session.created')).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      action: 'session.created',
      targetId: current,
      ip: '127.0.0.1',
      details: { deviceLabel: 'Firefox on Linux', ip: '127.0.0.1' },
    });
  });

  it('records each ended session and how it ended', async () => {
    const user = await createUser(app());
    const [a, b, c] = [
      await login(app(), user.email, user.password),
      await login(app(), user.email, user.password),
      await login(app(), user.email, user.password),
    ];
    const ids = await sessionIds(app(), user.token);
    const aId = (await sessionIds(app(), a!)).current;
    expect((await app().request('DELETE', `/api/v1/sessions/${aId}`, { token: user.token })).status).toBe(204);
    const bId = (await sessionIds(app(), b!)).current;
    expect((await app().request('POST', '/api/v1/auth/logout', { token: b! })).status).toBe(204);
    expect((await app().request('POST', '/api/v1/sessions/revoke-others', { token: c! })).body).toEqual({ ended: 1 });

    const revoked = (await sessionEntries(app(), c!)).filter((e) => e.action === 'session.revoked');
    expect(revoked.map((e) => [e.targetId, e.details.how])).toEqual([
      [ids.current, 'revoked_others'],
      [bId, 'logout'],
      [aId, 'revoked'],
    ]);
    expect(ids.others).toEqual(expect.arrayContaining([aId, bId]));
  });

  it('writes nothing for a failed end or for authenticating', async () => {
    const user = await createUser(app());
    const before = await sessionEntries(app(), user.token);
    expect((await app().request('DELETE', '/api/v1/sessions/ses_missing', { token: user.token })).status).toBe(404);
    expect((await app().request('POST', '/api/v1/sessions/revoke-others', { token: user.token })).body).toEqual({ ended: 0 });
    for (let i = 0; i < 3; i++) expect((await app().request('GET', '/api/v1/me', { token: user.token })).status).toBe(200);
    expect(await sessionEntries(app(), user.token)).toEqual(before);
  });
});
