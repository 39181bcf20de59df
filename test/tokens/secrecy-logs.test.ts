import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/credentials/token-format.js';
import { dialectEnv, enabledDialects } from '../helpers/harness.js';
import { dropSchema, freshSchemaName } from '../helpers/postgres.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { createToken } from './helpers.js';
import { remote, remoteOwner } from './remote.js';

for (const dialect of enabledDialects()) {
  describe(`personal tokens: never in a log line [${dialect}]`, () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-logs-'));
    const schema = freshSchemaName();
    let server: ServerProcess;

    beforeAll(async () => {
      server = await startServerProcess({ ...dialectEnv(dialect, dataDir, schema), LOG_LEVEL: 'trace' });
    });
    afterAll(async () => {
      await server?.stop('SIGKILL');
      if (dialect === 'postgres') await dropSchema(schema);
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('logs requests at trace level, yet no token or token hash appears in the output', async () => {
      const api = remote(server.url);
      const { session } = await remoteOwner(api);
      const first = await createToken(api, { token: session });
      const rotated = await api.request('POST', `/api/v1/tokens/${first.id}/rotate`, { token: session, body: { graceSeconds: 60 } });
      const second: string = rotated.body.token;
      // Successes, refusals and errors alike: each is a chance for a careless log line.
      expect((await api.request('GET', '/api/v1/me', { token: first.token })).status).toBe(200);
      expect((await api.request('GET', '/api/v1/no-such-route', { token: second })).status).toBe(404);
      expect((await api.request('POST', '/api/v1/tokens', { token: second, body: { name: 'x' } })).status).toBe(403);
      expect((await api.request('PATCH', `/api/v1/tokens/${first.id}`, { token: session, body: { name: 42 } })).status).toBe(400);
      expect((await api.request('GET', '/api/v1/me', { token: `${second.slice(0, -1)}${second.endsWith('A') ? 'B' : 'A'}` })).status).toBe(
        401,
      );
      await api.request('DELETE', `/api/v1/tokens/${first.id}`, { token: session });
      expect((await api.request('GET', '/api/v1/me', { token: second })).status).toBe(401);
      expect(await server.stop('SIGTERM')).toBe(0);

      const output = server.output();
      expect(output).toContain('incoming request');
      expect(output).toContain('request completed');
      for (const secret of [first.token, second, session]) {
        expect(output).not.toContain(secret.slice(4));
        expect(output).not.toContain(hashToken(secret));
      }
    });
  });
}
