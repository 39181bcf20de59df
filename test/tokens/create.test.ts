import { expect, it } from 'vitest';
import { createUser, createWorkspace, expectError } from '../helpers/factories.js';
import { describeEachDialect, type TestApp } from '../helpers/harness.js';
import { createToken, tokenOwner } from './helpers.js';

async function tokenCount(t: TestApp, userId: string): Promise<number> {
  const rows = await t.ctx.db.selectFrom('personal_access_tokens').select('id').where('user_id', '=', userId).execute();
  return rows.length;
}

describeEachDialect('personal tokens: creation', (app) => {
  it('returns a tgp_ secret once with its metadata; later reads show only the prefix', async () => {
    const { owner } = await tokenOwner(app());
    const res = await app().request('POST', '/api/v1/tokens', {
      token: owner.token,
      body: { name: '  CI deploy  ', permissions: ['tasks:read', 'tasks:read', 'workspace:read'], rateLimitPerMinute: 50 },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.token).toMatch(/^tgp_[0-9A-Za-z]{38}$/);
    expect(res.body).toMatchObject({
      name: 'CI deploy',
      prefix: res.body.token.slice(0, 10),
      permissions: ['tasks:read', 'workspace:read'],
      projectIds: null,
      rateLimitPerMinute: 50,
      status: 'active',
      lastUsedAt: null,
      revokedAt: null,
    });
    const read = await app().request('GET', `/api/v1/tokens/${res.body.id}`, { token: owner.token });
    expect(read.status).toBe(200);
    expect(read.body.token).toBeUndefined();
    expect(read.text).not.toContain(res.body.token);
    const list = await app().request('GET', '/api/v1/tokens', { token: owner.token });
    expect(list.text).not.toContain(res.body.token);
    expect(JSON.stringify(list.body)).not.toMatch(/hash/i);
  });

  it('defaults the expiry to the maximum lifetime and accepts one within it', async () => {
    const { owner } = await tokenOwner(app());
    const defaulted = await createToken(app(), owner);
    const maxMs = app().ctx.config.tokenMaxLifetimeMs;
    const lifetime = Date.parse(defaulted.body.expiresAt) - Date.parse(defaulted.body.createdAt);
    expect(Math.abs(lifetime - maxMs)).toBeLessThan(5_000);
    const soon = new Date(Date.now() + 3_600_000).toISOString();
    expect((await createToken(app(), owner, { expiresAt: soon })).body.expiresAt).toBe(soon);
  });

  it.each([
    [{}, 'Token name is required.'],
    [{ name: '' }, 'Token name is required.'],
    [{ name: '   ' }, 'Token name is required.'],
    [{ name: 42 }, 'Token name must be a string.'],
    [{ name: null }, 'Token name must be a string.'],
    [{ name: ['a'] }, 'Token name must be a string.'],
  ])('refuses a bad name %j with the documented message', async (body, message) => {
    const { owner } = await tokenOwner(app());
    const res = await app().request('POST', '/api/v1/tokens', { token: owner.token, body });
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.body.error).toBe(message);
    expect(res.body.fields).toEqual([{ field: 'name', message }]);
    expect(await tokenCount(app(), owner.id)).toBe(0);
  });

  it('refuses a name over 100 characters and accepts exactly 100', async () => {
    const { owner } = await tokenOwner(app());
    const long = await app().request('POST', '/api/v1/tokens', { token: owner.token, body: { name: 'x'.repeat(101) } });
    expectError(long, 400, 'VALIDATION_FAILED');
    expect(long.body.fields[0].field).toBe('name');
    expect((await createToken(app(), owner, { name: 'x'.repeat(100) })).body.name).toHaveLength(100);
  });

  it('lists every unknown permission in the 400 and creates nothing', async () => {
    const { owner } = await tokenOwner(app());
    const res = await app().request('POST', '/api/v1/tokens', {
      token: owner.token,
      body: { name: 'n', permissions: ['tasks:read', 'tasks:fly', 'root'] },
    });
    expectError(res, 400, 'UNKNOWN_PERMISSION');
    expect(res.body.unknownPermissions).toEqual(['tasks:fly', 'root']);
    expect(await tokenCount(app(), owner.id)).toBe(0);
  });

  it.each([
    ['in the past', () => new Date(Date.now() - 60_000).toISOString()],
    ['beyond the maximum lifetime', () => new Date(Date.now() + 366 * 86_400_000).toISOString()],
  ])('refuses an expiry %s', async (_label, expiresAt) => {
    const { owner } = await tokenOwner(app());
    const res = await app().request('POST', '/api/v1/tokens', { token: owner.token, body: { name: 'n', expiresAt: expiresAt() } });
    expectError(res, 400, 'INVALID_EXPIRY');
    expect(await tokenCount(app(), owner.id)).toBe(0);
  });

  it.each([
    [{ name: 'n', expiresAt: 'tomorrow' }],
    [{ name: 'n', rateLimitPerMinute: 0 }],
    [{ name: 'n', rateLimitPerMinute: 1_000_000 }],
    [{ name: 'n', permissions: [] }],
    [{ name: 'n', permissions: 'tasks:read' }],
    [{ name: 'n', projectIds: 'prj_1' }],
    [{ name: 'n', scope: 'admin' }],
  ])('refuses malformed input %j with 400 and creates nothing', async (body) => {
    const { owner } = await tokenOwner(app());
    const res = await app().request('POST', '/api/v1/tokens', { token: owner.token, body });
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(await tokenCount(app(), owner.id)).toBe(0);
  });

  it('refuses malformed JSON with the error envelope', async () => {
    const { owner } = await tokenOwner(app());
    expectError(await app().request('POST', '/api/v1/tokens', { token: owner.token, rawBody: '{"name":' }), 400, 'MALFORMED_JSON');
  });

  it('tells a user with no workspace at all to create one (409 WORKSPACE_REQUIRED), not to upgrade a plan', async () => {
    const owner = await createUser(app());
    const noWorkspace = await app().request('POST', '/api/v1/tokens', { token: owner.token, body: { name: 'n' } });
    expectError(noWorkspace, 409, 'WORKSPACE_REQUIRED');
    expect(noWorkspace.body.error).toMatch(/^Create a workspace first/);
    expect(await tokenCount(app(), owner.id)).toBe(0);
    await createWorkspace(app(), owner);
    await createToken(app(), owner);
  });

  it('refuses a user whose workspaces are all free with PLAN_UPGRADE_REQUIRED', async () => {
    const owner = await createUser(app());
    await createWorkspace(app(), owner, { plan: 'free' });
    expectError(await app().request('POST', '/api/v1/tokens', { token: owner.token, body: { name: 'n' } }), 403, 'PLAN_UPGRADE_REQUIRED');
    expect(await tokenCount(app(), owner.id)).toBe(0);
    await createWorkspace(app(), owner, { plan: 'team' });
    await createToken(app(), owner);
  });

  it('refuses token authentication on every management route with TOKEN_CANNOT_MANAGE_TOKENS', async () => {
    const { owner } = await tokenOwner(app());
    const { id, token } = await createToken(app(), owner);
    const routes: Array<[string, string, unknown?]> = [
      ['POST', '/api/v1/tokens', { name: 'minted by a token' }],
      ['GET', '/api/v1/tokens'],
      ['GET', '/api/v1/tokens/permissions'],
      ['GET', `/api/v1/tokens/${id}`],
      ['PATCH', `/api/v1/tokens/${id}`, { permissions: null }],
      ['POST', `/api/v1/tokens/${id}/rotate`, {}],
      ['DELETE', `/api/v1/tokens/${id}`],
      ['POST', '/api/v1/tokens/revoke-all'],
    ];
    for (const [method, path, body] of routes) {
      expectError(await app().request(method, path, { token, body }), 403, 'TOKEN_CANNOT_MANAGE_TOKENS');
    }
    expect(await tokenCount(app(), owner.id)).toBe(1);
    expect((await app().request('GET', '/api/v1/me', { token })).status).toBe(200);
  });
});
