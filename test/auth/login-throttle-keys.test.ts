import { expect, it } from 'vitest';
import { createUser, expectError, type TestUser } from '../helpers/factories.js';
import { describeEachDialect, type TestApp } from '../helpers/harness.js';

const PER_ADDRESS = 10;
const PER_ACCOUNT = 25;

/** Signs in over HTTP; `from` names the client address through the trusted (loopback) proxy's X-Forwarded-For. */
const signIn = (t: TestApp, email: string, password: string, from?: string) =>
  t.request('POST', '/api/v1/auth/login', { body: { email, password }, headers: from ? { 'x-forwarded-for': from } : {} });

/** The answer's error code, or 'ok' for a sign-in. */
async function outcome(t: TestApp, user: TestUser, password: string, from: string): Promise<string> {
  const res = await signIn(t, user.email, password, from);
  return res.status === 200 ? 'ok' : res.body.code;
}

function withoutRequestId(body: Record<string, unknown>) {
  const { requestId, retryAfterSeconds, ...rest } = body;
  expect(typeof requestId).toBe('string');
  expect(retryAfterSeconds).toEqual(expect.any(Number));
  return rest;
}

describeEachDialect(
  'sign-in throttle: counted before the check, per account and address',
  (app) => {
    it('40 sign-ins at once, the right password among them: no more than the budget reach the password check', async () => {
      const user = await createUser(app());
      const passwords = [...Array.from({ length: 39 }, (_, i) => `wrong-password-${i}`), user.password];
      const answers = await Promise.all(passwords.map((password) => signIn(app(), user.email, password)));
      const count = (status: number) => answers.filter((a) => a.status === status).length;

      expect(count(200) + count(401) + count(429)).toBe(40);
      expect(count(401)).toBeLessThanOrEqual(PER_ADDRESS);
      expect(count(429)).toBeGreaterThanOrEqual(40 - PER_ADDRESS - 1);
      // The budget is spent: the right password now gets the refusal too.
      expectError(await signIn(app(), user.email, user.password), 429, 'TOO_MANY_LOGIN_ATTEMPTS');
    });

    it('a throttled account gives the same answer to the right and the wrong password', async () => {
      const user = await createUser(app());
      for (let i = 0; i < PER_ADDRESS; i++) expectError(await signIn(app(), user.email, 'wrong-password'), 401, 'INVALID_CREDENTIALS');
      const right = await signIn(app(), user.email, user.password);
      const wrong = await signIn(app(), user.email, 'wrong-password');
      expectError(right, 429, 'TOO_MANY_LOGIN_ATTEMPTS');
      expectError(wrong, 429, 'TOO_MANY_LOGIN_ATTEMPTS');
      expect(withoutRequestId(right.body)).toEqual(withoutRequestId(wrong.body));
      expect(right.headers.get('set-cookie')).toBeNull();
      expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(wrong.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('signing in successfully again and again is never throttled', async () => {
      const user = await createUser(app());
      for (let i = 0; i < PER_ADDRESS + 2; i++) expect((await signIn(app(), user.email, user.password)).status).toBe(200);
    });

    it('guesses from one address lock that address out, not the account elsewhere, until the account-wide limit', async () => {
      const user = await createUser(app());
      for (let i = 0; i < PER_ADDRESS; i++) expect(await outcome(app(), user, 'wrong-password', '203.0.113.1')).toBe('INVALID_CREDENTIALS');
      expect(await outcome(app(), user, user.password, '203.0.113.1')).toBe('TOO_MANY_LOGIN_ATTEMPTS');
      expect(await outcome(app(), user, user.password, '198.51.100.7')).toBe('ok');

      // The account-wide budget has taken 11 attempts so far; spread over more addresses, guesses stop at its limit.
      const spread = ['192.0.2.1', '192.0.2.2'];
      for (let i = 11; i < PER_ACCOUNT; i++)
        expect(await outcome(app(), user, 'wrong-password', spread[i % 2]!)).toBe('INVALID_CREDENTIALS');
      expect(await outcome(app(), user, 'wrong-password', '192.0.2.3')).toBe('TOO_MANY_LOGIN_ATTEMPTS');
      expect(await outcome(app(), user, user.password, '192.0.2.4')).toBe('TOO_MANY_LOGIN_ATTEMPTS');
      // The owner's usual address, where they signed in before, is not kept out by the spent account-wide budget.
      expect(await outcome(app(), user, user.password, '198.51.100.7')).toBe('ok');
    });
  },
  {
    TASKGATE_LOGIN_MAX_FAILURES: String(PER_ADDRESS),
    TASKGATE_LOGIN_ACCOUNT_MAX_FAILURES: String(PER_ACCOUNT),
    TASKGATE_TRUST_PROXY: 'loopback',
  },
);
