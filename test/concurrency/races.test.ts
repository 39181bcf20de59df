import { expect, it } from 'vitest';
import { addMember, createUser, createWorkspace, uniqueEmail } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';

describeEachDialect('concurrent changes', (app) => {
  it('two Owners demoting each other at once leave exactly one Owner', async () => {
    for (let round = 0; round < 5; round++) {
      const a = await createUser(app());
      const ws = await createWorkspace(app(), a);
      const b = await createUser(app());
      await addMember(app(), a, ws, b, 'owner');
      const results = await Promise.all([
        app().request('DELETE', `/api/v1/workspaces/${ws.id}/members/${b.id}`, { token: a.token }),
        app().request('DELETE', `/api/v1/workspaces/${ws.id}/members/${a.id}`, { token: b.token }),
      ]);
      // The loser either sees the last-Owner rule (409) or has already been removed (404).
      const statuses = results.map((r) => r.status).sort();
      expect(statuses[0]).toBe(204);
      expect([404, 409]).toContain(statuses[1]);
      const owners = await app()
        .ctx.db.selectFrom('workspace_members')
        .select('user_id')
        .where('workspace_id', '=', ws.id)
        .where('role', '=', 'owner')
        .execute();
      expect(owners).toHaveLength(1);
    }
  });

  it('the same email registered twice at once makes one account and one 409, never a 500', async () => {
    const email = uniqueEmail();
    const results = await Promise.all(
      [0, 1, 2].map(() => app().request('POST', '/api/v1/auth/register', { body: { email, password: 'password-one-1', name: 'Twin' } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  });
});
