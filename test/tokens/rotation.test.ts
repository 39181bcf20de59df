import { expect, it } from 'vitest';
import { expectError } from '../helpers/factories.js';
import { describeEachDialect, type TestApp } from '../helpers/harness.js';
import { createToken, tokenOwner, tokenRow } from './helpers.js';

const me = (t: TestApp, token: string) => t.request('GET', '/api/v1/me', { token });

/** Ends a rotation's grace period now, as the passing of time would. */
async function endGrace(t: TestApp, id: string): Promise<void> {
  await t.ctx.db
    .updateTable('personal_access_tokens')
    .set({ previous_valid_until: new Date(Date.now() - 1000).toISOString() })
    .where('id', '=', id)
    .execute();
}

describeEachDialect('personal tokens: rotation', (app) => {
  it('without grace: a new secret for the same record; the old one stops at once', async () => {
    const { owner } = await tokenOwner(app());
    const created = await createToken(app(), owner, { name: 'deploy', permissions: ['tasks:read'] });
    const res = await app().request('POST', `/api/v1/tokens/${created.id}/rotate`, { token: owner.token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.token).toMatch(/^tgp_[0-9A-Za-z]{38}$/);
    expect(res.body.token).not.toBe(created.token);
    expect(res.body).toMatchObject({
      id: created.id,
      name: 'deploy',
      permissions: ['tasks:read'],
      prefix: res.body.token.slice(0, 10),
      previousSecretValidUntil: null,
    });
    expectError(await me(app(), created.token), 401, 'TOKEN_EXPIRED');
    expect((await me(app(), res.body.token)).body.token.id).toBe(created.id);
    expect(JSON.stringify(await tokenRow(app(), created.id))).not.toContain(res.body.token);
  });

  it('with grace: both secrets work until the grace ends, then only the new one', async () => {
    const { owner } = await tokenOwner(app());
    const created = await createToken(app(), owner);
    const res = await app().request('POST', `/api/v1/tokens/${created.id}/rotate`, { token: owner.token, body: { graceSeconds: 3600 } });
    expect(res.status).toBe(200);
    const graceEnd = Date.parse(res.body.previousSecretValidUntil);
    expect(Math.abs(graceEnd - (Date.now() + 3_600_000))).toBeLessThan(10_000);
    expect((await me(app(), created.token)).status).toBe(200);
    expect((await me(app(), res.body.token)).status).toBe(200);
    await endGrace(app(), created.id);
    expectError(await me(app(), created.token), 401, 'TOKEN_EXPIRED');
    expect((await me(app(), res.body.token)).status).toBe(200);
  });

  it('a second rotation forgets the first secret entirely', async () => {
    const { owner } = await tokenOwner(app());
    const created = await createToken(app(), owner);
    const second = await app().request('POST', `/api/v1/tokens/${created.id}/rotate`, { token: owner.token, body: { graceSeconds: 3600 } });
    const third = await app().request('POST', `/api/v1/tokens/${created.id}/rotate`, { token: owner.token, body: { graceSeconds: 3600 } });
    expectError(await me(app(), created.token), 401, 'INVALID_TOKEN');
    expect((await me(app(), second.body.token)).status).toBe(200);
    expect((await me(app(), third.body.token)).status).toBe(200);
  });

  it('revoking ends the grace too: neither secret works', async () => {
    const { owner } = await tokenOwner(app());
    const created = await createToken(app(), owner);
    const rotated = await app().request('POST', `/api/v1/tokens/${created.id}/rotate`, {
      token: owner.token,
      body: { graceSeconds: 3600 },
    });
    await app().request('DELETE', `/api/v1/tokens/${created.id}`, { token: owner.token });
    expectError(await me(app(), created.token), 401, 'TOKEN_REVOKED');
    expectError(await me(app(), rotated.body.token), 401, 'TOKEN_REVOKED');
  });

  it.each([[{ graceSeconds: 86_401 }], [{ graceSeconds: -1 }], [{ graceSeconds: 1.5 }], [{ grace: 10 }]])(
    'refuses %j with 400 and keeps the secret',
    async (body) => {
      const { owner } = await tokenOwner(app());
      const created = await createToken(app(), owner);
      expectError(
        await app().request('POST', `/api/v1/tokens/${created.id}/rotate`, { token: owner.token, body }),
        400,
        'VALIDATION_FAILED',
      );
      expect((await me(app(), created.token)).status).toBe(200);
    },
  );

  it('accepts the maximum grace of 24 hours', async () => {
    const { owner } = await tokenOwner(app());
    const created = await createToken(app(), owner);
    const res = await app().request('POST', `/api/v1/tokens/${created.id}/rotate`, { token: owner.token, body: { graceSeconds: 86_400 } });
    expect(res.status).toBe(200);
    expect((await me(app(), created.token)).status).toBe(200);
  });
});
