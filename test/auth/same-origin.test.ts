import { expect, it } from 'vitest';
import { createUser, createWorkspace, expectError, type TestUser } from '../helpers/factories.js';
import { describeEachDialect, type TestApp } from '../helpers/harness.js';
import { createProject, createSpace, createTask } from '../tasks/fixtures.js';

const EVIL = 'https://evil.example';

/** What a browser signed in as `user` sends with a request made by a page of `origin`. */
function cookieFrom(user: TestUser, origin: string | null, site?: string): Record<string, string> {
  return { cookie: `tg_session=${user.token}`, ...(origin ? { origin } : {}), ...(site ? { 'sec-fetch-site': site } : {}) };
}

async function workspaceNames(t: TestApp, user: TestUser): Promise<string[]> {
  const res = await t.request('GET', '/api/v1/workspaces', { token: user.token });
  return res.body.items.map((w: { name: string }) => w.name);
}

describeEachDialect('same-origin check for cookie-authenticated writes (CSRF)', (app) => {
  it('refuses a write with the cookie from another site’s page, changing nothing', async () => {
    const user = await createUser(app());
    for (const headers of [
      cookieFrom(user, EVIL),
      cookieFrom(user, EVIL, 'cross-site'),
      cookieFrom(user, null, 'cross-site'),
      cookieFrom(user, null),
      cookieFrom(user, 'null'),
    ]) {
      const res = await app().request('POST', '/api/v1/workspaces', { headers, body: { name: 'Forged' } });
      expectError(res, 403, 'CSRF_REJECTED');
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    }
    expect(await workspaceNames(app(), user)).toEqual([]);
  });

  it('accepts the same write from our own pages: Sec-Fetch-Site: same-origin, or our Origin', async () => {
    const user = await createUser(app());
    const host = new URL(app().url).host;
    const own = [
      cookieFrom(user, null, 'same-origin'),
      cookieFrom(user, app().url),
      cookieFrom(user, `https://${host}`),
      cookieFrom(user, app().url.toUpperCase()),
    ];
    for (const [i, headers] of own.entries()) {
      const res = await app().request('POST', '/api/v1/workspaces', { headers, body: { name: `Mine ${i}` } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    expect((await workspaceNames(app(), user)).sort()).toEqual(['Mine 0', 'Mine 1', 'Mine 2', 'Mine 3']);
    // Reads need no proof: a page of another site cannot read the answer anyway.
    expect((await app().request('GET', '/api/v1/workspaces', { headers: cookieFrom(user, EVIL, 'cross-site') })).status).toBe(200);
  });

  it('covers every unsafe method, body-less actions included', async () => {
    const owner = await createUser(app());
    const workspace = await createWorkspace(app(), owner);
    const project = await createProject(app(), owner, (await createSpace(app(), owner, workspace.id)).id);
    const task = await createTask(app(), owner, project.id);
    const headers = cookieFrom(owner, EVIL);
    expectError(await app().request('POST', `/api/v1/tasks/${task.id}/claim`, { headers }), 403, 'CSRF_REJECTED');
    expectError(await app().request('PATCH', `/api/v1/tasks/${task.id}`, { headers, body: { title: 'Forged' } }), 403, 'CSRF_REJECTED');
    expectError(await app().request('DELETE', `/api/v1/tasks/${task.id}`, { headers }), 403, 'CSRF_REJECTED');
    expectError(await app().request('POST', '/api/v1/tokens/revoke-all', { headers }), 403, 'CSRF_REJECTED');
    const after = await app().request('GET', `/api/v1/tasks/${task.id}`, { token: owner.token });
    expect(after.body).toMatchObject({ title: task.title, version: task.version, assignees: [] });
    // Signing the browser out from another site is refused too: the session keeps working.
    expectError(await app().request('POST', '/api/v1/auth/logout', { headers }), 403, 'CSRF_REJECTED');
    expect((await app().request('GET', '/api/v1/me', { headers: { cookie: `tg_session=${owner.token}` } })).status).toBe(200);
    expect((await app().request('POST', `/api/v1/tasks/${task.id}/claim`, { headers: cookieFrom(owner, app().url) })).status).toBe(200);
    expect((await app().request('POST', '/api/v1/auth/logout', { headers: cookieFrom(owner, app().url) })).status).toBe(204);
  });

  it('leaves bearer-token requests alone, whatever their Origin', async () => {
    const user = await createUser(app());
    const res = await app().request('POST', '/api/v1/workspaces', {
      token: user.token,
      headers: { origin: EVIL, 'sec-fetch-site': 'cross-site', cookie: `tg_session=${user.token}` },
      body: { name: 'Scripted' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });

  it('refuses sign-in and registration from another site’s page; curl-like callers without those headers still work', async () => {
    const user = await createUser(app());
    const credentials = { email: user.email, password: user.password };
    const foreign: Array<Record<string, string>> = [
      { origin: EVIL },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site', origin: 'https://sub.evil.example' },
    ];
    for (const headers of foreign) {
      const login = await app().request('POST', '/api/v1/auth/login', { headers, body: credentials });
      expectError(login, 403, 'CSRF_REJECTED');
      expect(login.headers.get('set-cookie')).toBeNull();
      const register = await app().request('POST', '/api/v1/auth/register', {
        headers,
        body: { email: `x${Date.now()}${Math.random()}@example.test`, password: 'long enough', name: 'X' },
      });
      expectError(register, 403, 'CSRF_REJECTED');
    }
    expect((await app().request('POST', '/api/v1/auth/login', { body: credentials })).status).toBe(200);
    expect((await app().request('POST', '/api/v1/auth/login', { headers: { origin: app().url }, body: credentials })).status).toBe(200);
    expect(
      (await app().request('POST', '/api/v1/auth/login', { headers: { 'sec-fetch-site': 'same-origin' }, body: credentials })).status,
    ).toBe(200);
  });

  it('keeps the JSON 404 of an unknown path, and 401 for a write without credentials', async () => {
    expectError(
      await app().request('POST', '/api/v1/nowhere', { headers: { origin: EVIL, cookie: 'tg_session=x' } }),
      404,
      'ROUTE_NOT_FOUND',
    );
    expectError(
      await app().request('POST', '/api/v1/workspaces', { headers: { origin: EVIL }, body: { name: 'x' } }),
      401,
      'UNAUTHENTICATED',
    );
  });
});

describeEachDialect(
  'same-origin check behind a proxy (TASKGATE_PUBLIC_URL)',
  (app) => {
    it('expects the public origin, not the Host the request reached', async () => {
      const user = await createUser(app());
      const ok = await app().request('POST', '/api/v1/workspaces', {
        headers: cookieFrom(user, 'https://taskgate.example'),
        body: { name: 'Via proxy' },
      });
      expect(ok.status, JSON.stringify(ok.body)).toBe(201);
      expectError(
        await app().request('POST', '/api/v1/workspaces', { headers: cookieFrom(user, app().url), body: { name: 'Direct' } }),
        403,
        'CSRF_REJECTED',
      );
      expectError(
        await app().request('POST', '/api/v1/workspaces', {
          headers: cookieFrom(user, 'http://taskgate.example'),
          body: { name: 'Downgraded' },
        }),
        403,
        'CSRF_REJECTED',
      );
      expect(
        (
          await app().request('POST', '/api/v1/workspaces', {
            headers: cookieFrom(user, null, 'same-origin'),
            body: { name: 'Fetch metadata' },
          })
        ).status,
      ).toBe(201);
      expect((await workspaceNames(app(), user)).sort()).toEqual(['Fetch metadata', 'Via proxy']);
    });

    it('marks the session cookie Secure when the public origin is https', async () => {
      const user = await createUser(app());
      const login = await app().request('POST', '/api/v1/auth/login', { body: { email: user.email, password: user.password } });
      expect(login.headers.get('set-cookie')).toMatch(/; Secure/);
    });
  },
  { TASKGATE_PUBLIC_URL: 'https://taskgate.example/' },
);
