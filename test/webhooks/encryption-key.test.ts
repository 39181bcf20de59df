import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterEach, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import type { Config } from '../../src/config/config.js';
import { createContext } from '../../src/context.js';
import { KEY_FILE_NAME, SecretBox, secretBoxFor } from '../../src/webhooks/secret-box.js';
import { describeEachDialect } from '../helpers/harness.js';
import { addSomeone, FAST_WEBHOOKS, hookedWorkspace } from './helpers.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function freshDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-key-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Builds a second server's app on the same database with the given key settings. */
async function secondServer(config: Config, keys: Pick<Config, 'encryptionKey' | 'dataDir'>) {
  const ctx = await createContext({ ...config, ...keys });
  cleanups.push(() => ctx.close());
  return buildApp(ctx, { logger: false });
}

describeEachDialect(
  'webhook encryption key shared by every server of a database',
  (app) => {
    it("refuses to start a server whose generated or configured key is not the database's, in one line", async () => {
      const { config } = app().ctx;
      const ownKey = fs.readFileSync(path.join(config.dataDir, KEY_FILE_NAME), 'utf8').trim();
      const otherKey = randomBytes(32).toString('base64');
      for (const keys of [
        { encryptionKey: null, dataDir: freshDataDir() },
        { encryptionKey: otherKey, dataDir: freshDataDir() },
      ]) {
        const refusal = await secondServer(config, keys).then(
          () => null,
          (err: unknown) => err,
        );
        expect(refusal).toBeInstanceOf(Error);
        const message = (refusal as Error).message;
        expect(message).toMatch(/is not the key this database's webhook secrets are encrypted with.*TASKGATE_ENCRYPTION_KEY/);
        expect(message).not.toContain('\n');
        expect(message).not.toContain(otherKey);
      }
      // The same key given through the environment is accepted.
      const sharing = await secondServer(config, { encryptionKey: ownKey, dataDir: freshDataDir() });
      await sharing.close();
      const stored = await app().ctx.db.selectFrom('webhook_key_check').select('check_value').execute();
      expect(stored).toEqual([{ check_value: secretBoxFor(config).keyCheck() }]);
      expect(JSON.stringify(stored)).not.toContain(ownKey);
    });

    it('on a database that has secrets but no check value yet, the secrets decide which key is right', async () => {
      const hooked = await hookedWorkspace(app());
      cleanups.push(() => hooked.receiver.close());
      const { config, db } = app().ctx;
      await db.deleteFrom('webhook_key_check').execute();
      const refusal = await secondServer(config, { encryptionKey: null, dataDir: freshDataDir() }).then(
        () => null,
        (err: unknown) => err,
      );
      expect(refusal).toBeInstanceOf(Error);
      expect(await db.selectFrom('webhook_key_check').selectAll().execute()).toEqual([]);
      const ownKey = fs.readFileSync(path.join(config.dataDir, KEY_FILE_NAME), 'utf8').trim();
      await (await secondServer(config, { encryptionKey: ownKey, dataDir: freshDataDir() })).close();
      expect(await db.selectFrom('webhook_key_check').select('check_value').execute()).toEqual([
        { check_value: secretBoxFor(config).keyCheck() },
      ]);
    });

    it('gives back untried a delivery whose secret it cannot decrypt: no attempt, no failure counted', async () => {
      const hooked = await hookedWorkspace(app());
      cleanups.push(() => hooked.receiver.close());
      const { db, config } = app().ctx;
      const sealedElsewhere = new SecretBox(randomBytes(32)).seal(hooked.secret, hooked.webhookId);
      await db.updateTable('webhooks').set({ secret_encrypted: sealedElsewhere }).where('id', '=', hooked.webhookId).execute();

      await addSomeone(app(), hooked);
      const delivery = () => db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', hooked.webhookId).executeTakeFirst();
      const deadline = Date.now() + 10_000;
      let row = await delivery();
      // Released: due again later than it was created, and no longer leased.
      while (
        !(row && row.next_attempt_at !== null && row.next_attempt_at > row.created_at && row.lease_token === null) &&
        Date.now() < deadline
      ) {
        await new Promise((r) => setTimeout(r, 30));
        row = await delivery();
      }
      expect(row).toMatchObject({ status: 'pending', attempts: 0, lease_token: null, lease_until: null, last_attempt_at: null });
      expect(
        await db
          .selectFrom('webhook_attempts')
          .select('id')
          .where('delivery_id', '=', row?.id ?? '')
          .execute(),
      ).toEqual([]);
      expect(
        await db.selectFrom('webhooks').select(['enabled', 'failing_since']).where('id', '=', hooked.webhookId).executeTakeFirst(),
      ).toEqual({ enabled: 1, failing_since: null });
      expect(hooked.receiver.requests).toEqual([]);

      // Once the secret opens again, the same delivery goes out, signed with it.
      await db
        .updateTable('webhooks')
        .set({ secret_encrypted: secretBoxFor(config).seal(hooked.secret, hooked.webhookId) })
        .where('id', '=', hooked.webhookId)
        .execute();
      await db
        .updateTable('webhook_deliveries')
        .set({ next_attempt_at: new Date().toISOString() })
        .where('id', '=', row?.id ?? '')
        .execute();
      const request = await hooked.receiver.nth(0);
      expect(() => new Webhook(hooked.secret).verify(request.body, request.headers)).not.toThrow();
    });
  },
  FAST_WEBHOOKS,
);
