import { expect, it } from 'vitest';
import { expectError } from '../helpers/factories.js';
import { describeEachDialect, type HttpResult } from '../helpers/harness.js';
import { createToken, tokenOwner } from '../tokens/helpers.js';

function remaining(res: HttpResult): number {
  const match = /^"default";r=(\d+);t=(\d+)$/.exec(res.headers.get('ratelimit') ?? '');
  expect(match, `RateLimit header: ${res.headers.get('ratelimit')}`).not.toBeNull();
  return Number(match?.[1]);
}

describeEachDialect(
  'rate limits: per token',
  (app) => {
    it('applies the instance default (TASKGATE_TOKEN_RATE_LIMIT) with IETF headers, then 429 with Retry-After', async () => {
      const { owner } = await tokenOwner(app());
      const { token } = await createToken(app(), owner);
      const left: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await app().request('GET', '/api/v1/me', { token });
        expect(res.status).toBe(200);
        expect(res.headers.get('ratelimit-policy')).toBe('"default";q=5;w=60');
        left.push(remaining(res));
      }
      expect(left).toEqual([4, 3, 2, 1, 0]);
      const refused = await app().request('GET', '/api/v1/me', { token });
      expectError(refused, 429, 'RATE_LIMITED');
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(refused.body.retryAfterSeconds).toBe(retryAfter);
      expect(remaining(refused)).toBe(0);
    });

    it('applies a token’s own lower limit, separately from the owner’s other tokens and session', async () => {
      const { owner, workspace } = await tokenOwner(app());
      const strict = await createToken(app(), owner, { rateLimitPerMinute: 2 });
      const other = await createToken(app(), owner);
      for (let i = 0; i < 2; i++)
        expect((await app().request('GET', `/api/v1/workspaces/${workspace.id}`, { token: strict.token })).status).toBe(200);
      const refused = await app().request('GET', `/api/v1/workspaces/${workspace.id}`, { token: strict.token });
      expectError(refused, 429, 'RATE_LIMITED');
      expect(refused.headers.get('ratelimit-policy')).toBe('"default";q=2;w=60');
      expect((await app().request('GET', '/api/v1/me', { token: other.token })).status).toBe(200);
      expect((await app().request('GET', '/api/v1/me', { token: owner.token })).status).toBe(200);
    });

    it('counts refused-as-forbidden requests too: a token cannot probe without spending its budget', async () => {
      const { owner, workspace } = await tokenOwner(app());
      const { token } = await createToken(app(), owner, { rateLimitPerMinute: 2, permissions: ['tasks:read'] });
      for (let i = 0; i < 2; i++)
        expectError(await app().request('GET', `/api/v1/workspaces/${workspace.id}`, { token }), 403, 'PERMISSION_DENIED');
      expectError(await app().request('GET', `/api/v1/workspaces/${workspace.id}`, { token }), 429, 'RATE_LIMITED');
    });
  },
  { TASKGATE_TOKEN_RATE_LIMIT: '5' },
);
