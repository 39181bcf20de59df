import { expect, it } from 'vitest';
import { createSession } from '../../src/sessions/sessions.service.js';
import { createUser as createUserRow } from '../../src/users/users.service.js';
import { createWorkspace, expectError, uniqueEmail } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { createToken, tokenOwner } from '../tokens/helpers.js';

describeEachDialect(
  'rate limits: sessions per user',
  (app) => {
    it('gives session traffic its own per-user budget, apart from the user’s tokens', async () => {
      const { owner } = await tokenOwner(app());
      const { token } = await createToken(app(), owner);
      // Two of the ten session requests went on the workspace and the token.
      for (let i = 0; i < 8; i++) {
        const res = await app().request('GET', '/api/v1/me', { token: owner.token });
        expect(res.status).toBe(200);
        expect(res.headers.get('ratelimit-policy')).toBe('"default";q=10;w=60');
      }
      const refused = await app().request('GET', '/api/v1/me', { token: owner.token });
      expectError(refused, 429, 'RATE_LIMITED');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      const byToken = await app().request('GET', '/api/v1/me', { token });
      expect(byToken.status).toBe(200);
      expect(byToken.headers.get('ratelimit-policy')).toBe('"default";q=100;w=60');
    });
  },
  { TASKGATE_SESSION_RATE_LIMIT: '10' },
);

// One test only: every anonymous request here comes from 127.0.0.1 and so shares one budget.
describeEachDialect(
  'rate limits: anonymous callers per IP',
  (app) => {
    it('limits unauthenticated traffic per IP, exempts health probes, and leaves signed-in users their own budget', async () => {
      for (let i = 0; i < 4; i++) expect((await app().request('GET', '/api/v1/permissions')).status).toBe(200);
      const refused = await app().request('GET', '/api/v1/permissions');
      expectError(refused, 429, 'RATE_LIMITED');
      expect(refused.headers.get('ratelimit-policy')).toBe('"default";q=4;w=60');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await app().request('GET', '/healthz')).status).toBe(200);

      // Signing in is itself anonymous traffic, so this user's session is made directly.
      const { ctx } = app();
      const user = await createUserRow(
        ctx.db,
        { email: uniqueEmail(), password: 'password-one-1', name: 'U' },
        ctx.config.passwordHashCost,
      );
      const { token: session } = await createSession(ctx.db, user.id, { userAgent: 'test', ip: '127.0.0.1' }, 60_000);
      expect((await app().request('GET', '/api/v1/me', { token: session })).status).toBe(200);
      await createWorkspace(app(), { id: user.id, email: user.email, password: 'password-one-1', name: 'U', token: session });
      const { token } = await createToken(app(), { token: session });
      expect((await app().request('GET', '/api/v1/me', { token })).status).toBe(200);
    });
  },
  { TASKGATE_ANONYMOUS_RATE_LIMIT: '4' },
);
