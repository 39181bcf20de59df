import { describe } from 'vitest';
import { createUser, createWorkspace } from '../helpers/factories.js';
import { describeEachDialect, type TestApp } from '../helpers/harness.js';
import { runCommonRouteTests, type ProtectedRoute } from '../helpers/security.js';
import { registerAgent } from './helpers.js';

// A lone owner is tenant enough here; the role tables live in manage.test.ts.
async function freshWorkspace(t: TestApp) {
  const owner = await createUser(t);
  return { owner, workspace: await createWorkspace(t, owner) };
}

async function agentPath(t: TestApp, suffix = ''): Promise<string> {
  const { owner, workspace } = await freshWorkspace(t);
  const agent = await registerAgent(t, owner.token, workspace);
  return `/api/v1/agents/${agent.id}${suffix}`;
}

const ROUTES: Record<string, ProtectedRoute> = {
  'GET /workspaces/:id/agents': { method: 'GET', setup: async (t) => ({ path: `/api/v1/workspaces/${(await freshWorkspace(t)).workspace.id}/agents` }) },
  'POST /workspaces/:id/agents': { method: 'POST', setup: async (t) => ({ path: `/api/v1/workspaces/${(await freshWorkspace(t)).workspace.id}/agents`, body: { name: 'bot' } }) },
  'GET /agents/:id': { method: 'GET', setup: async (t) => ({ path: await agentPath(t) }) },
  'PATCH /agents/:id': { method: 'PATCH', setup: async (t) => ({ path: await agentPath(t), body: { name: 'renamed' } }) },
  'DELETE /agents/:id': { method: 'DELETE', setup: async (t) => ({ path: await agentPath(t) }) },
  'POST /agents/:id/token': { method: 'POST', setup: async (t) => ({ path: await agentPath(t, '/token'), body: {} }) },
  'DELETE /agents/:id/token': { method: 'DELETE', setup: async (t) => ({ path: await agentPath(t, '/token') }) },
};

describeEachDialect('agents: common route security', (app) => {
  for (const [name, route] of Object.entries(ROUTES)) describe(name, () => runCommonRouteTests(app, route));
});
