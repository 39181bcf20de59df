import { describe } from 'vitest';
import { createUser, createWorkspace } from '../helpers/factories.js';
import { describeEachDialect, type TestApp } from '../helpers/harness.js';
import { runCommonRouteTests } from '../helpers/security.js';
import { accessTokensPath, createAccessToken } from './helpers.js';

// A lone owner is tenant enough here; the role table lives in manage-by-role.test.ts.
async function freshWorkspace(t: TestApp) {
  const owner = await createUser(t);
  return { owner, workspace: await createWorkspace(t, owner) };
}

async function withToken(t: TestApp) {
  const { owner, workspace } = await freshWorkspace(t);
  return { workspace, key: await createAccessToken(t, owner, workspace, { scope: 'viewer' }) };
}

describeEachDialect('workspace access tokens: common route security', (app) => {
  describe('GET list', () => runCommonRouteTests(app, {
    method: 'GET',
    setup: async (t) => ({ path: accessTokensPath((await freshWorkspace(t)).workspace) }),
  }));
  describe('POST', () => runCommonRouteTests(app, {
    method: 'POST',
    setup: async (t) => ({ path: accessTokensPath((await freshWorkspace(t)).workspace), body: { label: 'x', scope: 'viewer' } }),
  }));
  describe('PATCH', () => runCommonRouteTests(app, {
    method: 'PATCH',
    setup: async (t) => {
      const { workspace, key } = await withToken(t);
      return { path: accessTokensPath(workspace, key.id), body: { enabled: false } };
    },
  }));
  describe('DELETE', () => runCommonRouteTests(app, {
    method: 'DELETE',
    setup: async (t) => {
      const { workspace, key } = await withToken(t);
      return { path: accessTokensPath(workspace, key.id) };
    },
  }));
});
