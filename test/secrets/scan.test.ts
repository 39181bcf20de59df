import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/credentials/token-format.js';
import { uniqueEmail } from '../helpers/factories.js';
import { dialectEnv, enabledDialects } from '../helpers/harness.js';
import { dropSchema, freshSchemaName, TEST_POSTGRES_URL } from '../helpers/postgres.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { FAST_WEBHOOKS } from '../webhooks/helpers.js';
import { Receiver } from '../webhooks/receiver.js';
import { filesUnder, formsOf, leaksIn, pgDump, type Leak } from './scan.js';
import { exerciseSecretPaths, type Admin } from './secret-paths.js';

// Self-contained: it starts its own server with its own data folder (and PostgreSQL schema), makes
// every secret it looks for, and scans only what that server wrote, so it passes or fails the same
// whichever tests ran before it.
for (const dialect of enabledDialects()) {
  describe(`secrets scan: no issued secret in the data folder, the database dump or the log [${dialect}]`, () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-secrets-'));
    const schema = freshSchemaName();
    const admin: Admin = { email: uniqueEmail('admin'), password: `pw-${randomBytes(12).toString('hex')}` };
    let server: ServerProcess;
    let receiver: Receiver;

    beforeAll(async () => {
      receiver = await Receiver.start();
      server = await startServerProcess({
        ...dialectEnv(dialect, dataDir, schema),
        ...FAST_WEBHOOKS,
        // The most the server ever logs: every request with its headers' treatment, every job step.
        LOG_LEVEL: 'trace',
        TASKGATE_ADMIN_EMAIL: admin.email,
        TASKGATE_ADMIN_PASSWORD: admin.password,
      });
    });
    afterAll(async () => {
      await server?.stop('SIGKILL');
      await receiver?.close();
      if (dialect === 'postgres') await dropSchema(schema);
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('finds none of them, in any spelling, after every secret-making path ran', async () => {
      const secrets = await exerciseSecretPaths(server.url, admin, receiver);
      // A clean stop flushes last-used times and checkpoints SQLite: everything is on disk to be read.
      expect(await server.stop('SIGTERM')).toBe(0);
      const forms = secrets.flatMap(formsOf);
      const leaks: Leak[] = [];

      const files = filesUnder(dataDir);
      const stored: Buffer[] = [];
      for (const file of files) {
        const bytes = fs.readFileSync(file);
        stored.push(bytes);
        leaks.push(...leaksIn(`data folder: ${path.relative(dataDir, file)}`, bytes, forms));
      }
      if (dialect === 'postgres') {
        const dump = await pgDump(TEST_POSTGRES_URL, schema);
        stored.push(dump);
        leaks.push(...leaksIn(`pg_dump of schema ${schema}`, dump, forms));
      }
      const log = Buffer.from(server.output());
      leaks.push(...leaksIn('server log (stdout and stderr)', log, forms));

      // The haystacks are the real ones: the log has the request lines, the stored data the token's hash.
      expect(log.toString()).toContain('incoming request');
      const personal = secrets.find((s) => s.source === 'personal token')!;
      expect(stored.some((bytes) => bytes.includes(hashToken(personal.value)))).toBe(true);
      expect(secrets.map((s) => s.source).sort()).toEqual([
        'admin session',
        'agent token',
        'bootstrap admin password',
        'owner password',
        'owner session',
        'personal token',
        'reissued agent token',
        'revoked personal token',
        'rotated personal token',
        'rotated webhook secret',
        'webhook secret',
        'workspace access token',
      ]);
      expect(leaks).toEqual([]);
    });
  });
}
