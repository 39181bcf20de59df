import { expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { createContext } from '../../src/context.js';
import { expectError } from '../helpers/factories.js';
import { describeEachDialect, dialectEnv, TEST_ENV, type TestApp } from '../helpers/harness.js';
import { delegate, delegationTenant, readTask } from './helpers.js';

/** A second app instance on `t`'s database, as a second process would be: answers GET with a bearer token. */
async function otherInstance(t: TestApp) {
  const config = loadConfig({ ...TEST_ENV, ...dialectEnv(t.dialect, t.dataDir, t.ctx.config.databaseSchema ?? '') });
  const ctx = await createContext(config);
  const app = await buildApp(ctx, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    get: async (path: string, token: string) => {
      const res = await fetch(`http://127.0.0.1:${address.port}${path}`, { headers: { authorization: `Bearer ${token}` } });
      return { status: res.status, body: (await res.json()) as { code?: string } };
    },
    close: async () => {
      await app.close();
      await ctx.close();
    },
  };
}

/**
 * A delegated token that was just used (so its lookup is kept in memory, ADR 0001 / ADR 0008) is refused on the
 * very next request once a revocation has been answered, however it was revoked.
 */
describeEachDialect('a used delegated token is refused on the request after its revocation', (app) => {
  it("revoked by the owner's session (DELETE /delegated-tokens/:id), with its descendant", async () => {
    const t = app();
    const { owner, task, root } = await delegationTenant(t);
    for (let round = 0; round < 5; round++) {
      const child = await delegate(t, root.token, { name: `Sub-agent ${round}` });
      const grandchild = await delegate(t, child.token, { name: `Sub-sub-agent ${round}` });
      expect((await readTask(t, child.token, task.id)).status).toBe(200);
      expect((await t.request('GET', '/api/v1/me', { token: grandchild.token })).status).toBe(200);

      expect((await t.request('DELETE', `/api/v1/delegated-tokens/${child.id}`, { token: owner.token })).status).toBe(204);
      expectError(await t.request('GET', '/api/v1/me', { token: child.token }), 401, 'TOKEN_REVOKED');
      expectError(await readTask(t, grandchild.token, task.id), 401, 'TOKEN_REVOKED');
    }
    expect((await readTask(t, root.token, task.id)).status).toBe(200);
  });

  it('revoked with its root personal token', async () => {
    const t = app();
    const { owner, task, root } = await delegationTenant(t);
    const child = await delegate(t, root.token);
    expect((await t.request('GET', '/api/v1/me', { token: child.token })).status).toBe(200);
    expect((await t.request('DELETE', `/api/v1/tokens/${root.id}`, { token: owner.token })).status).toBe(204);
    expectError(await readTask(t, child.token, task.id), 401, 'TOKEN_REVOKED');
  });

  it('revoked on one instance, refused on the next request to another that kept it', async () => {
    const t = app();
    const { owner, task, root } = await delegationTenant(t);
    const other = await otherInstance(t);
    try {
      const child = await delegate(t, root.token);
      expect((await other.get(`/api/v1/tasks/${task.id}`, child.token)).status).toBe(200);
      expect((await other.get('/api/v1/me', child.token)).status).toBe(200);
      expect((await t.request('DELETE', `/api/v1/delegated-tokens/${child.id}`, { token: owner.token })).status).toBe(204);
      const refused = await other.get('/api/v1/me', child.token);
      expect(refused.status).toBe(401);
      expect(refused.body.code).toBe('TOKEN_REVOKED');
    } finally {
      await other.close();
    }
  });
});
