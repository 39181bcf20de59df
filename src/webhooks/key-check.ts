import path from 'node:path';
import { ConfigError, type Config } from '../config/config.js';
import type { Db } from '../db/database.js';
import { safeEqual } from '../lib/secrets.js';
import { nowIso } from '../lib/time.js';
import { KEY_FILE_NAME, secretBoxFor, type SecretBox } from './secret-box.js';

const CHECK_NAME = 'webhook_secrets';

type KeySource = Pick<Config, 'encryptionKey' | 'dataDir'>;

function keyName(config: KeySource): string {
  return config.encryptionKey ? 'TASKGATE_ENCRYPTION_KEY' : `the key generated in ${path.join(config.dataDir, KEY_FILE_NAME)}`;
}

function mismatch(config: KeySource): ConfigError {
  return new ConfigError(
    `${keyName(config)} is not the key this database's webhook secrets are encrypted with: ` +
      'every server sharing the database must use the same key (set TASKGATE_ENCRYPTION_KEY to it on each)',
  );
}

/**
 * A database that has secrets but no check value yet (created before the check existed): its secrets,
 * not this process, decide which key is right.
 */
async function requireOpensStoredSecret(db: Db, box: SecretBox, config: KeySource): Promise<void> {
  const sample = await db.selectFrom('webhooks').select(['id', 'secret_encrypted']).limit(1).executeTakeFirst();
  if (!sample) return;
  try {
    box.open(sample.secret_encrypted, sample.id);
  } catch {
    throw mismatch(config);
  }
}

/**
 * Refuses to run with an encryption key other than the one the database's webhook secrets use. Several
 * servers sharing a PostgreSQL database without TASKGATE_ENCRYPTION_KEY would otherwise each generate
 * their own key, and each would fail every delivery whose secret another one sealed. The first server
 * stores the key's check value (never the key); every later start compares against it.
 */
export async function verifyEncryptionKey(db: Db, config: KeySource): Promise<void> {
  const box = secretBoxFor(config);
  const stored = () => db.selectFrom('webhook_key_check').select('check_value').where('name', '=', CHECK_NAME).executeTakeFirst();
  let check = await stored();
  if (!check) {
    await requireOpensStoredSecret(db, box, config);
    // Two servers starting together on a fresh database: the first insert wins, the other compares.
    await db
      .insertInto('webhook_key_check')
      .values({ name: CHECK_NAME, check_value: box.keyCheck(), created_at: nowIso() })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    check = await stored();
  }
  if (!check || !safeEqual(check.check_value, box.keyCheck())) throw mismatch(config);
}
