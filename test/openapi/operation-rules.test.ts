import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { createContext } from '../../src/context.js';

it('refuses to start with a documented route that lacks an operationId, a description or a declared tag', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-rules-'));
  const ctx = await createContext(loadConfig({ LOG_LEVEL: 'silent', TASKGATE_DATA_DIR: dataDir }));
  try {
    const app = await buildApp(ctx, { logger: false });
    const handler = async () => ({ ok: true });
    expect(() =>
      app.get(
        '/api/v1/undocumented',
        { config: { auth: 'public' }, schema: { tags: ['system'], summary: 'x', description: 'y' } },
        handler,
      ),
    ).toThrow(/GET \/api\/v1\/undocumented must declare an operationId/);
    expect(() =>
      app.get(
        '/api/v1/vague',
        { config: { auth: 'public' }, schema: { operationId: 'system.vague', tags: ['system'], summary: 'x' } },
        handler,
      ),
    ).toThrow(/must declare a description/);
    expect(() =>
      app.get(
        '/api/v1/untagged',
        { config: { auth: 'public' }, schema: { operationId: 'misc.thing', tags: ['misc'], summary: 'x', description: 'y' } },
        handler,
      ),
    ).toThrow(/must declare one tag of system/);
    // Hidden routes are not in the document, so they need none of it.
    expect(() => app.get('/api/v1/hidden', { config: { auth: 'public' }, schema: { hide: true } }, handler)).not.toThrow();
    await app.close();
  } finally {
    await ctx.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
