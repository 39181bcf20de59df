import { describe } from 'vitest';
import { describeEachDialect } from '../helpers/harness.js';
import { runCommonRouteTests, type ProtectedRoute } from '../helpers/security.js';

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'security-suite', version: '1' } },
};

// A session (the suite's outsider signs in) is refused on /mcp as a credential of the wrong kind: 401.
const ROUTES: Record<string, ProtectedRoute> = {
  'POST /mcp': { method: 'POST', setup: async () => ({ path: '/mcp', body: INITIALIZE }), outsiderStatus: 401 },
  'GET /mcp': { method: 'GET', setup: async () => ({ path: '/mcp' }), outsiderStatus: 401 },
};

describeEachDialect('MCP endpoint security', (app) => {
  for (const [name, route] of Object.entries(ROUTES)) describe(name, () => runCommonRouteTests(app, route));
});
