import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { createUser, createWorkspace, expectError, type TestUser } from '../helpers/factories.js';
import { describeEachDialect, type TestApp } from '../helpers/harness.js';
import { createPersonalToken } from '../tasks/fixtures.js';

async function wrongPassword(t: TestApp, user: TestUser, headers: Record<string, string>) {
  return t.request('POST', '/api/v1/auth/login', { headers, body: { email: user.email, password: 'not the password' } });
}

async function signIn(t: TestApp, user: TestUser, headers: Record<string, string>) {
  return t.request('POST', '/api/v1/auth/login', { headers, body: { email: user.email, password: user.password } });
}

/** Fails sign-ins for `user` from behind the proxy until the budget of `from` is spent. */
async function spendBudget(t: TestApp, user: TestUser, headers: Record<string, string>): Promise<void> {
  for (let i = 0; i < 3; i++) expectError(await wrongPassword(t, user, headers), 401, 'INVALID_CREDENTIALS');
  expectError(await wrongPassword(t, user, headers), 429, 'TOO_MANY_LOGIN_ATTEMPTS');
}

async function lastUsedIp(t: TestApp, user: TestUser): Promise<string | null> {
  const res = await t.request('GET', '/api/v1/tokens', { token: user.token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items[0].lastUsedIp as string | null;
}

const LIMITS = { TASKGATE_LOGIN_MAX_FAILURES: '3', TASKGATE_LOGIN_ACCOUNT_MAX_FAILURES: '1000' };

describe('TASKGATE_TRUST_PROXY', () => {
  it.each([
    ['', false],
    ['false', false],
    ['0', false],
    ['true', true],
    ['1', 1],
    ['2', 2],
    ['127.0.0.1', ['127.0.0.1']],
    ['10.0.0.0/8, 192.168.1.5', ['10.0.0.0/8', '192.168.1.5']],
    ['loopback,fd00::/8', ['loopback', 'fd00::/8']],
  ] as const)('reads %j', (raw, expected) => {
    expect(loadConfig({ TASKGATE_TRUST_PROXY: raw }).trustProxy).toEqual(expected);
  });

  it.each(['yes', 'maybe', '10.0.0.0/33', '300.1.1.1', '10.0.0.1,', '-1', '1.5', 'proxy.example'])('refuses %j', (raw) => {
    expect(() => loadConfig({ TASKGATE_TRUST_PROXY: raw })).toThrow(ConfigError);
  });
});

describeEachDialect(
  'behind a trusted reverse proxy (TASKGATE_TRUST_PROXY=loopback)',
  (app) => {
    it('throttles failed sign-ins per client address, not per proxy: one client cannot lock out another', async () => {
      const user = await createUser(app());
      await spendBudget(app(), user, { 'x-forwarded-for': '203.0.113.7' });
      // Everyone arrives from the proxy's address: the next client is not refused with the first one.
      expect((await signIn(app(), user, { 'x-forwarded-for': '198.51.100.20' })).status).toBe(200);
      expectError(await signIn(app(), user, { 'x-forwarded-for': '203.0.113.7' }), 429, 'TOO_MANY_LOGIN_ATTEMPTS');
    });

    it('records the client address, not the proxy’s, as a token’s last-used address', async () => {
      const user = await createUser(app());
      await createWorkspace(app(), user);
      const token = await createPersonalToken(app(), user);
      expect((await app().request('GET', '/api/v1/me', { token, headers: { 'x-forwarded-for': '198.51.100.9' } })).status).toBe(200);
      expect(await lastUsedIp(app(), user)).toBe('198.51.100.9');
    });

    it('marks the session cookie Secure when the proxy says the client came over https, and only then', async () => {
      const user = await createUser(app());
      const overHttps = await signIn(app(), user, { 'x-forwarded-proto': 'https' });
      expect(overHttps.headers.get('set-cookie')).toMatch(/; Secure/);
      const overHttp = await signIn(app(), user, { 'x-forwarded-proto': 'http' });
      expect(overHttp.status).toBe(200);
      expect(overHttp.headers.get('set-cookie')).not.toMatch(/; Secure/);
    });

    it('checks the Origin of cookie writes against the forwarded host and protocol', async () => {
      const user = await createUser(app());
      const forwarded = { 'x-forwarded-host': 'tasks.example', 'x-forwarded-proto': 'https', cookie: `tg_session=${user.token}` };
      const own = await app().request('POST', '/api/v1/workspaces', {
        headers: { ...forwarded, origin: 'https://tasks.example' },
        body: { name: 'Via proxy' },
      });
      expect(own.status, JSON.stringify(own.body)).toBe(201);
      for (const origin of ['http://tasks.example', app().url, 'https://evil.example']) {
        expectError(
          await app().request('POST', '/api/v1/workspaces', { headers: { ...forwarded, origin }, body: { name: 'Forged' } }),
          403,
          'CSRF_REJECTED',
        );
      }
    });
  },
  { ...LIMITS, TASKGATE_TRUST_PROXY: 'loopback' },
);

describeEachDialect(
  'without a trusted proxy (the default)',
  (app) => {
    it('ignores X-Forwarded-For: a client cannot pick a fresh address to escape the sign-in throttle', async () => {
      const user = await createUser(app());
      await spendBudget(app(), user, { 'x-forwarded-for': '203.0.113.7' });
      expectError(await signIn(app(), user, { 'x-forwarded-for': '198.51.100.20' }), 429, 'TOO_MANY_LOGIN_ATTEMPTS');
    });

    it('ignores X-Forwarded-For for last-used addresses and X-Forwarded-Proto for the cookie', async () => {
      const user = await createUser(app());
      await createWorkspace(app(), user);
      const token = await createPersonalToken(app(), user);
      expect((await app().request('GET', '/api/v1/me', { token, headers: { 'x-forwarded-for': '198.51.100.9' } })).status).toBe(200);
      expect(await lastUsedIp(app(), user)).toBe('127.0.0.1');
      const login = await signIn(app(), user, { 'x-forwarded-proto': 'https' });
      expect(login.headers.get('set-cookie')).not.toMatch(/; Secure/);
    });

    it('does not take X-Forwarded-Host for this server’s origin', async () => {
      const user = await createUser(app());
      const res = await app().request('POST', '/api/v1/workspaces', {
        headers: { 'x-forwarded-host': 'evil.example', origin: 'http://evil.example', cookie: `tg_session=${user.token}` },
        body: { name: 'Forged' },
      });
      expectError(res, 403, 'CSRF_REJECTED');
    });
  },
  LIMITS,
);
