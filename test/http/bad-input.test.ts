import { expect, it } from 'vitest';
import { createTeam, createUser, createWorkspace, expectError } from '../helpers/factories.js';
import { describeEachDialect, type TestApp } from '../helpers/harness.js';

/** Row counts of the foundation tables: bad input must leave them exactly as they were. */
async function snapshot(t: TestApp) {
  const counts: Record<string, number> = {};
  for (const table of ['users', 'sessions', 'workspaces', 'workspace_members', 'events'] as const) {
    const row = await t.ctx.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  const names = await t.ctx.db.selectFrom('workspaces').select(['id', 'name', 'plan']).orderBy('id').execute();
  const roles = await t.ctx.db.selectFrom('workspace_members').select(['user_id', 'role']).orderBy('user_id').execute();
  return { counts, names, roles };
}

describeEachDialect('bad input on every foundation route', (app) => {
  it('answers 4xx with the JSON error shape and changes nothing', async () => {
    const { workspace, members } = await createTeam(app());
    const owner = members.owner;
    const ws = `/api/v1/workspaces/${workspace.id}`;
    const cases: Array<{ method: string; path: string; body?: unknown; raw?: string; token?: string; status: number; code: string }> = [
      { method: 'POST', path: '/api/v1/auth/register', body: {}, status: 400, code: 'VALIDATION_FAILED' },
      {
        method: 'POST',
        path: '/api/v1/auth/register',
        body: { email: 'x@example.test', password: 12345678, name: 'X' },
        status: 400,
        code: 'VALIDATION_FAILED',
      },
      {
        method: 'POST',
        path: '/api/v1/auth/register',
        body: { email: 'not-an-email', password: 'password1', name: 'X' },
        status: 400,
        code: 'VALIDATION_FAILED',
      },
      {
        method: 'POST',
        path: '/api/v1/auth/register',
        body: { email: 'y@example.test', password: 'short', name: 'X' },
        status: 400,
        code: 'VALIDATION_FAILED',
      },
      {
        method: 'POST',
        path: '/api/v1/auth/register',
        body: { email: 'z@example.test', password: 'password1', name: 'X', admin: true },
        status: 400,
        code: 'VALIDATION_FAILED',
      },
      { method: 'POST', path: '/api/v1/auth/register', raw: '{"email": "a@b.c",', status: 400, code: 'MALFORMED_JSON' },
      { method: 'POST', path: '/api/v1/auth/login', body: { email: owner.email }, status: 400, code: 'VALIDATION_FAILED' },
      { method: 'POST', path: '/api/v1/auth/login', body: { email: owner.email, password: ['x'] }, status: 400, code: 'VALIDATION_FAILED' },
      { method: 'POST', path: '/api/v1/workspaces', token: owner.token, body: {}, status: 400, code: 'VALIDATION_FAILED' },
      { method: 'POST', path: '/api/v1/workspaces', token: owner.token, body: { name: 42 }, status: 400, code: 'VALIDATION_FAILED' },
      { method: 'POST', path: '/api/v1/workspaces', token: owner.token, body: { name: '   ' }, status: 400, code: 'VALIDATION_FAILED' },
      {
        method: 'POST',
        path: '/api/v1/workspaces',
        token: owner.token,
        body: { name: 'A', plan: 'team' },
        status: 400,
        code: 'VALIDATION_FAILED',
      },
      { method: 'POST', path: '/api/v1/workspaces', token: owner.token, raw: 'not json', status: 400, code: 'MALFORMED_JSON' },
      { method: 'PATCH', path: ws, token: owner.token, body: { name: '' }, status: 400, code: 'VALIDATION_FAILED' },
      { method: 'PATCH', path: ws, token: owner.token, body: { plan: 'platinum' }, status: 400, code: 'VALIDATION_FAILED' },
      { method: 'PATCH', path: ws, token: owner.token, body: { colour: 'red' }, status: 400, code: 'VALIDATION_FAILED' },
      {
        method: 'POST',
        path: `${ws}/members`,
        token: owner.token,
        body: { email: members.viewer.email },
        status: 400,
        code: 'VALIDATION_FAILED',
      },
      {
        method: 'POST',
        path: `${ws}/members`,
        token: owner.token,
        body: { email: members.viewer.email, role: 'superuser' },
        status: 400,
        code: 'VALIDATION_FAILED',
      },
      {
        method: 'POST',
        path: `${ws}/invitations`,
        token: owner.token,
        body: { email: 'nobody@example.test', role: 'superuser' },
        status: 400,
        code: 'VALIDATION_FAILED',
      },
      {
        method: 'PATCH',
        path: `${ws}/members/${members.viewer.id}`,
        token: owner.token,
        body: { role: 7 },
        status: 400,
        code: 'VALIDATION_FAILED',
      },
      {
        method: 'PATCH',
        path: `${ws}/members/${members.viewer.id}`,
        token: owner.token,
        body: { role: 'viewer', extra: 1 },
        status: 400,
        code: 'VALIDATION_FAILED',
      },
      { method: 'PATCH', path: `${ws}/members/usr_missing`, token: owner.token, body: { role: 'viewer' }, status: 404, code: 'NOT_FOUND' },
      { method: 'DELETE', path: '/api/v1/sessions/ses_missing', token: owner.token, status: 404, code: 'NOT_FOUND' },
      { method: 'GET', path: `${ws}/events?limit=0`, token: owner.token, status: 400, code: 'VALIDATION_FAILED' },
      { method: 'GET', path: `${ws}/events?limit=abc`, token: owner.token, status: 400, code: 'VALIDATION_FAILED' },
      { method: 'GET', path: `${ws}/events?cursor=garbage`, token: owner.token, status: 400, code: 'VALIDATION_FAILED' },
      { method: 'GET', path: `${ws}/events?nope=1`, token: owner.token, status: 400, code: 'VALIDATION_FAILED' },
      { method: 'POST', path: '/api/v1/admin/users/usr_missing/block', token: owner.token, status: 403, code: 'ADMIN_ONLY' },
      { method: 'GET', path: '/api/v1/no-such-route', status: 404, code: 'ROUTE_NOT_FOUND' },
      { method: 'PATCH', path: ws, token: owner.token, body: {}, status: 400, code: 'VALIDATION_FAILED' },
      { method: 'PATCH', path: ws, token: owner.token, body: { name: 'nul\u0000byte' }, status: 400, code: 'VALIDATION_FAILED' },
      { method: 'POST', path: '/api/v1/workspaces', token: owner.token, body: { name: 'a\u0000' }, status: 400, code: 'VALIDATION_FAILED' },
      {
        method: 'POST',
        path: '/api/v1/auth/register',
        body: { email: 'nul@example.test', password: 'password1', name: 'N\u0000' },
        status: 400,
        code: 'VALIDATION_FAILED',
      },
      { method: 'GET', path: '/api/v1/workspaces/%00', token: owner.token, status: 400, code: 'VALIDATION_FAILED' },
      { method: 'GET', path: `/api/v1/workspaces/${'w'.repeat(65)}`, token: owner.token, status: 400, code: 'VALIDATION_FAILED' },
      { method: 'DELETE', path: `${ws}/members/%00`, token: owner.token, status: 400, code: 'VALIDATION_FAILED' },
      { method: 'GET', path: `${ws}/events?type=a%00b`, token: owner.token, status: 400, code: 'VALIDATION_FAILED' },
      { method: 'GET', path: '/api/v1/workspaces?foo=1', token: owner.token, status: 400, code: 'VALIDATION_FAILED' },
      { method: 'GET', path: '/api/v1/sessions?limit=abc', token: owner.token, status: 400, code: 'VALIDATION_FAILED' },
      { method: 'GET', path: '/api/v1/me?verbose=1', token: owner.token, status: 400, code: 'VALIDATION_FAILED' },
      {
        method: 'POST',
        path: '/api/v1/auth/logout',
        token: owner.token,
        body: { everywhere: true },
        status: 400,
        code: 'VALIDATION_FAILED',
      },
      { method: 'DELETE', path: ws, token: owner.token, body: { force: true }, status: 400, code: 'VALIDATION_FAILED' },
      {
        method: 'POST',
        path: '/api/v1/sessions/revoke-others',
        token: owner.token,
        body: { all: true },
        status: 400,
        code: 'VALIDATION_FAILED',
      },
      { method: 'POST', path: `/api/v1/admin/users/${members.viewer.id}/unblock`, token: owner.token, status: 403, code: 'ADMIN_ONLY' },
      { method: 'GET', path: '/api/v1/tasks/%E0%A4%A', token: owner.token, status: 400, code: 'BAD_REQUEST' },
    ];
    const before = await snapshot(app());
    for (const c of cases) {
      const res = await app().request(c.method, c.path, { token: c.token, body: c.body, rawBody: c.raw });
      expectError(res, c.status, c.code);
    }
    expect(await snapshot(app())).toEqual(before);
  });

  it('names the offending fields in a validation error', async () => {
    const res = await app().request('POST', '/api/v1/auth/register', { body: { email: 'q@example.test', name: 5, role: 'x' } });
    expectError(res, 400, 'VALIDATION_FAILED');
    const fields = res.body.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['password', 'name', 'role']));
  });

  it('refuses a 2 MB body with 413 and creates nothing', async () => {
    const user = await createUser(app());
    const before = await snapshot(app());
    const huge = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) });
    expectError(await app().request('POST', '/api/v1/workspaces', { token: user.token, rawBody: huge }), 413, 'PAYLOAD_TOO_LARGE');
    expect(await snapshot(app())).toEqual(before);
  });

  it('refuses a non-JSON content type with 415', async () => {
    const user = await createUser(app());
    const res = await app().request('POST', '/api/v1/workspaces', {
      token: user.token,
      rawBody: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('carries a request id on every response, errors included', async () => {
    const ok = await app().request('GET', '/healthz');
    expect(ok.headers.get('x-request-id')).toBeTruthy();
    const err = await app().request('GET', '/api/v1/nope');
    expect(err.body.requestId).toBe(err.headers.get('x-request-id'));
  });

  it('keeps a workspace intact when an outsider tries to change it', async () => {
    const owner = await createUser(app());
    const workspace = await createWorkspace(app(), owner, { name: 'Keep' });
    const outsider = await createUser(app());
    expectError(
      await app().request('PATCH', `/api/v1/workspaces/${workspace.id}`, { token: outsider.token, body: { name: 'Stolen' } }),
      404,
      'NOT_FOUND',
    );
    expect((await app().request('GET', `/api/v1/workspaces/${workspace.id}`, { token: owner.token })).body.name).toBe('Keep');
  });
});
