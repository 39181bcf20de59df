import { expect, it } from 'vitest';
import { createWorkspace, expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { createProjectWithTasks } from '../agents/task-fixtures.js';
import { createToken, tokenOwner } from './helpers.js';

describeEachDialect('tokens cannot widen themselves', (app) => {
  it('a project-scoped token makes no workspace-wide change, in its own workspace or any other', async () => {
    const { owner, workspace } = await tokenOwner(app());
    const other = await createWorkspace(app(), owner, { name: 'Other' });
    const { projectId } = await createProjectWithTasks(app(), owner, workspace);
    const scoped = await createToken(app(), owner, { projectIds: [projectId] });
    const refusals: Array<[string, string, unknown?]> = [
      ['PATCH', `/api/v1/workspaces/${other.id}`, { name: 'Hijacked' }],
      ['DELETE', `/api/v1/workspaces/${other.id}`],
      ['DELETE', `/api/v1/workspaces/${workspace.id}`],
      ['POST', `/api/v1/workspaces/${workspace.id}/invitations`, { email: 'x@example.test', role: 'viewer' }],
      ['POST', `/api/v1/workspaces/${workspace.id}/agents`, { name: 'Laundered' }],
      ['POST', `/api/v1/workspaces/${other.id}/spaces`, { name: 'S' }],
      ['POST', `/api/v1/workspaces/${other.id}/labels`, { name: 'L' }],
    ];
    for (const [method, path, body] of refusals) {
      expectError(await app().request(method, path, { token: scoped.token, body }), 403, 'PROJECT_OUT_OF_SCOPE');
    }
    const still = await app().request('GET', `/api/v1/workspaces/${other.id}`, { token: owner.token });
    expect(still.body.name).toBe('Other');
    const agents = await app().request('GET', `/api/v1/workspaces/${workspace.id}/agents`, { token: owner.token });
    expect(agents.body.items).toEqual([]);
  });

  it('a narrow token cannot register an agent whose token would hold more than it does', async () => {
    const { owner, workspace } = await tokenOwner(app());
    const narrow = await createToken(app(), owner, { permissions: ['agents:write'] });
    const refused = await app().request('POST', `/api/v1/workspaces/${workspace.id}/agents`, {
      token: narrow.token,
      body: { name: 'Bot' },
    });
    expectError(refused, 403, 'PERMISSION_DENIED');
    expect(refused.body.missingPermissions).toEqual(expect.arrayContaining(['tasks:read', 'tasks:write']));
    const full = await createToken(app(), owner);
    expect(
      (await app().request('POST', `/api/v1/workspaces/${workspace.id}/agents`, { token: full.token, body: { name: 'Bot' } })).status,
    ).toBe(201);
  });
});

describeEachDialect(
  'credential failures and the rate limit',
  (app) => {
    it('a flood of unknown tokens ends in 429, and each 401 carries the RateLimit headers', async () => {
      const { owner } = await tokenOwner(app());
      const real = await createToken(app(), owner);
      await app().request('DELETE', `/api/v1/tokens/${real.id}`, { token: owner.token });
      const statuses: number[] = [];
      for (let i = 0; i < 25; i++) {
        const res = await app().request('GET', '/api/v1/me', { token: real.token });
        statuses.push(res.status);
        expect(res.headers.get('ratelimit')).toMatch(/r=\d+/);
      }
      expect(statuses).toContain(401);
      expect(statuses.at(-1)).toBe(429);
    });
  },
  { TASKGATE_ANONYMOUS_RATE_LIMIT: '20' },
);

describeEachDialect('stale session cookies and missing credentials', (app) => {
  it('answers a missing credential with 401 and WWW-Authenticate: Bearer error="invalid_token"', async () => {
    const res = await app().request('GET', '/api/v1/workspaces');
    expectError(res, 401, 'UNAUTHENTICATED');
    expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  });
  it('a browser whose session ended can still sign in and out, and loses the stale cookie', async () => {
    const { owner } = await tokenOwner(app());
    const stale = `tg_session=${owner.token}`;
    await app().request('POST', '/api/v1/auth/logout', { token: owner.token });
    const me = await app().request('GET', '/api/v1/me', { headers: { cookie: stale } });
    expectError(me, 401, 'INVALID_TOKEN');
    expect(me.headers.get('set-cookie')).toMatch(/tg_session=;.*Expires=Thu, 01 Jan 1970/);
    // A browser sends its page's Origin with every POST (see test/auth/same-origin.test.ts).
    const browser = { cookie: stale, origin: app().url };
    const login = await app().request('POST', '/api/v1/auth/login', {
      headers: browser,
      body: { email: owner.email, password: owner.password },
    });
    expect(login.status).toBe(200);
    expect((await app().request('POST', '/api/v1/auth/logout', { headers: browser })).status).toBe(204);
    expect((await app().request('GET', '/healthz', { headers: { authorization: 'Bearer nonsense' } })).status).toBe(200);
  });
});
