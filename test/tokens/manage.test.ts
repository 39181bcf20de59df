import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { createUser, expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { createToken, expireToken, tokenOwner, tokenRow } from './helpers.js';

describeEachDialect('personal tokens: management', (app) => {
  it('lists only the caller’s tokens, newest first, with each status and a cursor', async () => {
    const { owner } = await tokenOwner(app());
    const { owner: other } = await tokenOwner(app());
    // Ids sort by creation time to the millisecond: keep the three apart.
    const expired = await createToken(app(), owner, { name: 'expired' });
    await sleep(3);
    const revoked = await createToken(app(), owner, { name: 'revoked' });
    await sleep(3);
    const active = await createToken(app(), owner, { name: 'active' });
    await createToken(app(), other, { name: 'not mine' });
    await expireToken(app(), expired.id);
    expect((await app().request('DELETE', `/api/v1/tokens/${revoked.id}`, { token: owner.token })).status).toBe(204);

    const all = await app().request('GET', '/api/v1/tokens', { token: owner.token });
    expect(all.status).toBe(200);
    expect(all.body.items.map((t: any) => [t.name, t.status])).toEqual([
      ['active', 'active'],
      ['revoked', 'revoked'],
      ['expired', 'expired'],
    ]);
    expect(all.body.nextCursor).toBeNull();
    expect(all.body.items[0]).not.toHaveProperty('token');
    expect(all.body.items[0].prefix).toBe(active.token.slice(0, 10));

    const first = await app().request('GET', '/api/v1/tokens?limit=2', { token: owner.token });
    expect(first.body.items).toHaveLength(2);
    const rest = await app().request('GET', `/api/v1/tokens?limit=2&cursor=${first.body.nextCursor}`, { token: owner.token });
    expect(rest.body.items.map((t: any) => t.name)).toEqual(['expired']);
    expect(rest.body.nextCursor).toBeNull();
    expectError(await app().request('GET', '/api/v1/tokens?cursor=garbage', { token: owner.token }), 400, 'VALIDATION_FAILED');
  });

  it('hides another user’s token: read, edit, rotate and revoke all answer 404 and change nothing', async () => {
    const { owner } = await tokenOwner(app());
    const stranger = await createUser(app());
    const { id, token } = await createToken(app(), owner);
    const before = await tokenRow(app(), id);
    expectError(await app().request('GET', `/api/v1/tokens/${id}`, { token: stranger.token }), 404, 'NOT_FOUND');
    expectError(
      await app().request('PATCH', `/api/v1/tokens/${id}`, { token: stranger.token, body: { name: 'mine now' } }),
      404,
      'NOT_FOUND',
    );
    expectError(await app().request('POST', `/api/v1/tokens/${id}/rotate`, { token: stranger.token }), 404, 'NOT_FOUND');
    expectError(await app().request('DELETE', `/api/v1/tokens/${id}`, { token: stranger.token }), 404, 'NOT_FOUND');
    expect((await app().request('POST', '/api/v1/tokens/revoke-all', { token: stranger.token })).body).toEqual({ revoked: 0 });
    expect(await tokenRow(app(), id)).toEqual(before);
    expect((await app().request('GET', '/api/v1/me', { token })).status).toBe(200);
  });

  it('edits name, permissions, projects, expiry and rate limit within the creation limits', async () => {
    const { owner } = await tokenOwner(app());
    const { id } = await createToken(app(), owner, { permissions: ['tasks:read'] });
    const expiresAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const res = await app().request('PATCH', `/api/v1/tokens/${id}`, {
      token: owner.token,
      body: { name: 'renamed', permissions: ['tasks:read', 'tasks:write'], expiresAt, rateLimitPerMinute: 20 },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ name: 'renamed', permissions: ['tasks:read', 'tasks:write'], expiresAt, rateLimitPerMinute: 20 });
    const widened = await app().request('PATCH', `/api/v1/tokens/${id}`, {
      token: owner.token,
      body: { permissions: null, rateLimitPerMinute: null },
    });
    expect(widened.body).toMatchObject({ name: 'renamed', permissions: null, rateLimitPerMinute: null });
  });

  it.each([
    [{ name: '' }, 'VALIDATION_FAILED'],
    [{ name: 7 }, 'VALIDATION_FAILED'],
    [{ permissions: ['tasks:read', 'nope'] }, 'UNKNOWN_PERMISSION'],
    [{ expiresAt: new Date(Date.now() - 1000).toISOString() }, 'INVALID_EXPIRY'],
    [{ expiresAt: new Date(Date.now() + 400 * 86_400_000).toISOString() }, 'INVALID_EXPIRY'],
    [{ expiresAt: null }, 'VALIDATION_FAILED'],
    [{ rateLimitPerMinute: 1_000_000 }, 'VALIDATION_FAILED'],
    [{ owner: 'someone' }, 'VALIDATION_FAILED'],
  ])('refuses the edit %j with 400 %s and changes nothing', async (body, code) => {
    const { owner } = await tokenOwner(app());
    const { id } = await createToken(app(), owner, { permissions: ['tasks:read'] });
    const before = await tokenRow(app(), id);
    expectError(await app().request('PATCH', `/api/v1/tokens/${id}`, { token: owner.token, body }), 400, code);
    expect(await tokenRow(app(), id)).toEqual(before);
  });

  it('refuses to edit or rotate a revoked or expired token with 409', async () => {
    const { owner } = await tokenOwner(app());
    const revoked = await createToken(app(), owner);
    const expired = await createToken(app(), owner);
    await app().request('DELETE', `/api/v1/tokens/${revoked.id}`, { token: owner.token });
    await expireToken(app(), expired.id);
    for (const id of [revoked.id, expired.id]) {
      expectError(await app().request('PATCH', `/api/v1/tokens/${id}`, { token: owner.token, body: { name: 'back' } }), 409, 'CONFLICT');
      expectError(await app().request('POST', `/api/v1/tokens/${id}/rotate`, { token: owner.token }), 409, 'CONFLICT');
    }
  });

  it('revokes one token: it stops on the next request; revoking again is a no-op', async () => {
    const { owner } = await tokenOwner(app());
    const { id, token } = await createToken(app(), owner);
    const kept = await createToken(app(), owner);
    expect((await app().request('GET', '/api/v1/me', { token })).status).toBe(200);
    expect((await app().request('DELETE', `/api/v1/tokens/${id}`, { token: owner.token })).status).toBe(204);
    const refused = await app().request('GET', '/api/v1/me', { token });
    expectError(refused, 401, 'TOKEN_REVOKED');
    expect(refused.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect((await app().request('DELETE', `/api/v1/tokens/${id}`, { token: owner.token })).status).toBe(204);
    expect((await app().request('GET', '/api/v1/me', { token: kept.token })).status).toBe(200);
  });

  it('revokes all the caller’s tokens at once, and no one else’s', async () => {
    const { owner } = await tokenOwner(app());
    const { owner: other } = await tokenOwner(app());
    const mine = [await createToken(app(), owner), await createToken(app(), owner)];
    const theirs = await createToken(app(), other);
    const res = await app().request('POST', '/api/v1/tokens/revoke-all', { token: owner.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ revoked: 2 });
    for (const { token } of mine) expectError(await app().request('GET', '/api/v1/me', { token }), 401, 'TOKEN_REVOKED');
    expect((await app().request('GET', '/api/v1/me', { token: theirs.token })).status).toBe(200);
    expect((await app().request('POST', '/api/v1/tokens/revoke-all', { token: owner.token })).body).toEqual({ revoked: 0 });
  });

  it('serves the permission catalogue grouped by category, each with a description', async () => {
    const { owner } = await tokenOwner(app());
    const res = await app().request('GET', '/api/v1/tokens/permissions', { token: owner.token });
    expect(res.status).toBe(200);
    const tasks = res.body.categories.find((c: any) => c.category === 'Tasks');
    expect(tasks.permissions.map((p: any) => p.name)).toEqual([
      'tasks:read',
      'tasks:create',
      'tasks:write',
      'tasks:override',
      'tasks:delete',
    ]);
    for (const group of res.body.categories) for (const p of group.permissions) expect(p.description.length).toBeGreaterThan(0);
    expectError(await app().request('GET', '/api/v1/tokens/permissions'), 401, 'UNAUTHENTICATED');
  });
});
