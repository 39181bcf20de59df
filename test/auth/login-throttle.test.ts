import { expect, it } from 'vitest';
import { createUser, expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';

describeEachDialect(
  'brute-force protection',
  (app) => {
    it('refuses sign-in with 429 after repeated failures for one account, even with the right password', async () => {
      const user = await createUser(app());
      for (let i = 0; i < 3; i++) {
        expectError(
          await app().request('POST', '/api/v1/auth/login', { body: { email: user.email, password: 'wrong-password' } }),
          401,
          'INVALID_CREDENTIALS',
        );
      }
      const refused = await app().request('POST', '/api/v1/auth/login', { body: { email: user.email, password: user.password } });
      expectError(refused, 429, 'TOO_MANY_LOGIN_ATTEMPTS');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('limits unauthenticated traffic per IP', async () => {
      let limited = 0;
      for (let i = 0; i < 30; i++) {
        const res = await app().request('GET', '/api/v1/permissions');
        if (res.status === 429) limited++;
        else expect(res.headers.get('ratelimit-policy')).toMatch(/q=\d+;w=60/);
      }
      expect(limited).toBeGreaterThan(0);
    });
  },
  { TASKGATE_LOGIN_MAX_FAILURES: '3', TASKGATE_ANONYMOUS_RATE_LIMIT: '25' },
);
