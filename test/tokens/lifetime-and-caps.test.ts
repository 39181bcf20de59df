import { expect, it } from 'vitest';
import { createWorkspace, createUser, expectError } from '../helpers/factories.js';
import { describeEachDialect, type HttpResult } from '../helpers/harness.js';
import { accessTokensPath, createAccessToken } from '../access-tokens/helpers.js';
import { registerAgent } from '../agents/helpers.js';
import { createToken, tokenOwner } from './helpers.js';

const DAY_MS = 86_400_000;

function remaining(res: HttpResult): number {
  const match = /^"default";r=(\d+);t=(\d+)$/.exec(res.headers.get('ratelimit') ?? '');
  expect(match, `RateLimit header: ${res.headers.get('ratelimit')}`).not.toBeNull();
  return Number(match?.[1]);
}

/** Days from now until an ISO time, rounded. */
const daysUntil = (iso: string) => Math.round((Date.parse(iso) - Date.now()) / DAY_MS);

describeEachDialect(
  'token lifetimes, caps and rate windows',
  (app) => {
    it('gives workspace tokens an expiry within their own maximum lifetime, never "never"', async () => {
      const owner = await createUser(app());
      const workspace = await createWorkspace(app(), owner, { plan: 'pro' });
      const key = await createAccessToken(app(), owner, workspace, { scope: 'viewer' });
      expect(daysUntil(key.expiresAt as string)).toBe(3);
      const tooLate = new Date(Date.now() + 10 * DAY_MS).toISOString();
      expectError(
        await app().request('POST', accessTokensPath(workspace), {
          token: owner.token,
          body: { label: 'x', scope: 'viewer', expiresAt: tooLate },
        }),
        400,
        'INVALID_EXPIRY',
      );
      const cleared = await app().request('PATCH', accessTokensPath(workspace, key.id), { token: owner.token, body: { expiresAt: null } });
      expect(cleared.status).toBe(200);
      expect(daysUntil(cleared.body.expiresAt)).toBe(3);
    });

    it('makes agent tokens expire after the agent token lifetime, refused once past it', async () => {
      const owner = await createUser(app());
      const workspace = await createWorkspace(app(), owner, { plan: 'pro' });
      const agent = await registerAgent(app(), owner.token, workspace);
      const view = await app().request('GET', `/api/v1/agents/${agent.id}`, { token: owner.token });
      expect(daysUntil(view.body.token.expiresAt)).toBe(2);
      const me = await app().request('GET', '/api/v1/me', { token: agent.token });
      expect(me.headers.get('taskgate-token-expires')).toBe(view.body.token.expiresAt);
      await app()
        .ctx.db.updateTable('agent_tokens')
        .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
        .where('agent_id', '=', agent.id)
        .execute();
      expectError(await app().request('GET', '/api/v1/me', { token: agent.token }), 401, 'TOKEN_EXPIRED');
    });

    it('caps the personal tokens one user holds; a revoked one frees its place', async () => {
      const { owner } = await tokenOwner(app());
      const first = await createToken(app(), owner);
      await createToken(app(), owner);
      const refused = await app().request('POST', '/api/v1/tokens', { token: owner.token, body: { name: 'third' } });
      expectError(refused, 409, 'TOKEN_LIMIT_REACHED');
      expect(refused.body.limit).toBe(2);
      expect((await app().request('DELETE', `/api/v1/tokens/${first.id}`, { token: owner.token })).status).toBe(204);
      await createToken(app(), owner);
    });

    it('caps the access tokens and agents of one workspace, also when created at once', async () => {
      const owner = await createUser(app());
      const workspace = await createWorkspace(app(), owner, { plan: 'pro' });
      await createAccessToken(app(), owner, workspace, { scope: 'viewer' });
      const attempts = await Promise.all([
        app().request('POST', accessTokensPath(workspace), { token: owner.token, body: { label: 'a', scope: 'viewer' } }),
        app().request('POST', accessTokensPath(workspace), { token: owner.token, body: { label: 'b', scope: 'viewer' } }),
        app().request('POST', `/api/v1/workspaces/${workspace.id}/agents`, { token: owner.token, body: { name: 'c' } }),
      ]);
      expect(attempts.map((res) => res.status).sort()).toEqual([201, 409, 409]);
      for (const res of attempts.filter((r) => r.status === 409)) expectError(res, 409, 'TOKEN_LIMIT_REACHED');
      const tokens = await app()
        .ctx.db.selectFrom('workspace_access_tokens')
        .select('id')
        .where('workspace_id', '=', workspace.id)
        .execute();
      const agents = await app().ctx.db.selectFrom('agents').select('id').where('workspace_id', '=', workspace.id).execute();
      expect(tokens.length + agents.length).toBe(2);
    });

    it("keeps a token's rate window when its limit changes: requests already made count against the new limit", async () => {
      const { owner } = await tokenOwner(app());
      const { id, token } = await createToken(app(), owner, { rateLimitPerMinute: 5 });
      for (let i = 0; i < 3; i++) expect((await app().request('GET', '/api/v1/me', { token })).status).toBe(200);
      expect((await app().request('PATCH', `/api/v1/tokens/${id}`, { token: owner.token, body: { rateLimitPerMinute: 4 } })).status).toBe(
        200,
      );
      const fourth = await app().request('GET', '/api/v1/me', { token });
      expect(fourth.status).toBe(200);
      expect(remaining(fourth)).toBe(0);
      expect(fourth.headers.get('ratelimit-policy')).toBe('"default";q=4;w=60');
      expectError(await app().request('GET', '/api/v1/me', { token }), 429, 'RATE_LIMITED');
      // Raising it again gives back only the difference (the refused request counted too), not a fresh minute.
      await app().request('PATCH', `/api/v1/tokens/${id}`, { token: owner.token, body: { rateLimitPerMinute: 7 } });
      expect(remaining(await app().request('GET', '/api/v1/me', { token }))).toBe(1);
    });
  },
  {
    TASKGATE_WORKSPACE_TOKEN_MAX_LIFETIME: '3d',
    TASKGATE_AGENT_TOKEN_MAX_LIFETIME: '2d',
    TASKGATE_MAX_TOKENS_PER_USER: '2',
    TASKGATE_MAX_TOKENS_PER_WORKSPACE: '2',
  },
);
