import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { dialectEnv, enabledDialects } from '../helpers/harness.js';
import { dropSchema, freshSchemaName } from '../helpers/postgres.js';
import { startServerProcess } from '../helpers/server-process.js';
import { createToken } from './helpers.js';
import { remote, remoteOwner } from './remote.js';

for (const dialect of enabledDialects()) {
  describe(`personal tokens: last use survives a shutdown [${dialect}]`, () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-flush-'));
    const schema = freshSchemaName();
    const env = dialectEnv(dialect, dataDir, schema);
    afterAll(async () => {
      if (dialect === 'postgres') await dropSchema(schema);
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('writes the buffered last use on SIGTERM, not before', async () => {
      // A flush interval longer than the test: only the shutdown can write it.
      const server = await startServerProcess({ ...env, TASKGATE_LAST_USED_FLUSH: '60s' });
      try {
        const api = remote(server.url);
        const { session } = await remoteOwner(api);
        const { id, token } = await createToken(api, { token: session });
        expect((await api.request('GET', '/api/v1/me', { token })).status).toBe(200);
        expect((await api.request('GET', `/api/v1/tokens/${id}`, { token: session })).body.lastUsedAt).not.toBeNull();

        const handle = await openDatabase(env.DATABASE_URL ?? '', env.TASKGATE_DB_SCHEMA ?? null);
        const lastUsed = () =>
          handle.db
            .selectFrom('personal_access_tokens')
            .select(['last_used_at', 'last_used_ip'])
            .where('id', '=', id)
            .executeTakeFirstOrThrow();
        try {
          expect((await lastUsed()).last_used_at).toBeNull();
          expect(await server.stop('SIGTERM')).toBe(0);
          const row = await lastUsed();
          expect(row.last_used_at).not.toBeNull();
          expect(row.last_used_ip).toBe('127.0.0.1');
        } finally {
          await handle.close();
        }
      } finally {
        await server.stop('SIGKILL');
      }
    });
  });
}
