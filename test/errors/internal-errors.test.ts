import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { createAdmin, createUser, createWorkspace, expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';

// Its own app per dialect: the test breaks the database on purpose.
describeEachDialect('internal failures', (app) => {
  it('answers a generic 500 envelope with no SQL or stack, and readiness reports the database', async () => {
    const owner = await createUser(app());
    const workspace = await createWorkspace(app(), owner);
    await sql`drop table events`.execute(app().ctx.db);
    const res = await app().request('GET', `/api/v1/workspaces/${workspace.id}/events`, { token: owner.token });
    expectError(res, 500, 'INTERNAL_ERROR');
    expect(res.text).not.toMatch(/events|select|sqlite|relation|at .*\.ts/i);
    expect(Object.keys(res.body).sort()).toEqual(['code', 'error', 'requestId', 'statusCode']);
  });
});

describeEachDialect(
  'closed sign-up and the default plan',
  (app) => {
    it('refuses self-registration when sign-up is closed, but an admin can register users', async () => {
      const closed = await app().request('POST', '/api/v1/auth/register', {
        body: { email: 'self@example.test', password: 'password-one-1', name: 'S' },
      });
      expectError(closed, 403, 'SIGNUP_DISABLED');
      const admin = await createAdmin(app());
      const byAdmin = await app().request('POST', '/api/v1/auth/register', {
        token: admin.token,
        body: { email: 'made@example.test', password: 'password-one-1', name: 'M' },
      });
      expect(byAdmin.status).toBe(201);
    });

    it('gives new workspaces the configured default plan', async () => {
      const admin = await createAdmin(app());
      const res = await app().request('POST', '/api/v1/workspaces', { token: admin.token, body: { name: 'Team' } });
      expect(res.body.plan).toBe('team');
    });
  },
  { TASKGATE_OPEN_SIGNUP: 'false', TASKGATE_DEFAULT_PLAN: 'team' },
);
