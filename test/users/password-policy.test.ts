import { expect, it } from 'vitest';
import { expectError, uniqueEmail } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';

const register = (password: string) => ({ body: { email: uniqueEmail(), password, name: 'P' } });

describeEachDialect('password policy (NIST 800-63B)', (app) => {
  it('refuses short, blank, repeated and common passwords with 400 WEAK_PASSWORD, creating nothing', async () => {
    for (const password of [
      '12345678',
      'password',
      '        ',
      '            ',
      'aaaaaaaaaaaaaa',
      'password1234',
      'qwertyuiop123',
      'Short-11chr',
    ]) {
      const email = uniqueEmail();
      const res = await app().request('POST', '/api/v1/auth/register', { body: { email, password, name: 'P' } });
      expectError(res, 400, 'WEAK_PASSWORD');
      expect(res.body.fields).toEqual([{ field: 'password', message: expect.any(String) }]);
      expect(await app().ctx.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()).toBeUndefined();
    }
  });

  it('refuses the email as password, and anything over 256 characters', async () => {
    const email = uniqueEmail();
    expectError(
      await app().request('POST', '/api/v1/auth/register', { body: { email, password: email, name: 'P' } }),
      400,
      'WEAK_PASSWORD',
    );
    expectError(await app().request('POST', '/api/v1/auth/register', register('x'.repeat(200) + 'y'.repeat(57))), 400, 'VALIDATION_FAILED');
  });

  it('accepts a passphrase of any characters, with no composition rules', async () => {
    for (const password of ['correct horse battery', 'ünïcödé pässwörd ☃', 'alllowercaseletters']) {
      expect((await app().request('POST', '/api/v1/auth/register', register(password))).status).toBe(201);
    }
  });
});

describeEachDialect(
  'password policy with a longer minimum',
  (app) => {
    it('takes TASKGATE_PASSWORD_MIN_LENGTH', async () => {
      const res = await app().request('POST', '/api/v1/auth/register', register('fourteen chars'));
      expectError(res, 400, 'WEAK_PASSWORD');
      expect(res.body.error).toContain('at least 16 characters');
      expect((await app().request('POST', '/api/v1/auth/register', register('sixteen chars ok'))).status).toBe(201);
    });
  },
  { TASKGATE_PASSWORD_MIN_LENGTH: '16' },
);
