import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { expect, it } from 'vitest';
import { openDatabase, pingDatabase, statementsSent, type DatabaseHandle, type Db, type DialectName } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrator.js';
import { cachedRead, readsOf } from '../../src/db/read-cache.js';
import { newId } from '../../src/lib/ids.js';
import { describeEachDialectWith } from '../helpers/harness.js';
import { dropSchema, freshSchemaName, TEST_POSTGRES_URL } from '../helpers/postgres.js';

interface OpenedDatabase {
  handle: DatabaseHandle;
  /** The SQLite file, for a second connection (another process); null on PostgreSQL. */
  file: string | null;
  close(): Promise<void>;
}

async function openMigrated(dialect: DialectName): Promise<OpenedDatabase> {
  if (dialect === 'postgres') {
    const schema = freshSchemaName();
    const handle = await openDatabase(TEST_POSTGRES_URL, schema);
    await migrateToLatest(handle.db, handle.dialect);
    return {
      handle,
      file: null,
      close: async () => {
        await handle.close();
        await dropSchema(schema);
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-read-cache-'));
  const file = path.join(dir, 'db.sqlite');
  const handle = await openDatabase(file);
  await migrateToLatest(handle.db, handle.dialect);
  return {
    handle,
    file,
    close: async () => {
      await handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A user of its own per test, named `name`. */
async function userNamed(db: Db, name: string): Promise<string> {
  const id = newId('user');
  const now = new Date().toISOString();
  await db
    .insertInto('users')
    .values({
      id,
      email: `${id}@example.test`,
      name,
      password_hash: 'x',
      is_admin: 0,
      blocked_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

const userName = cachedRead((db: Db, id: string) => db.selectFrom('users').select('name').where('id', '=', id));
// Not a read at all: declared as one, it must still run every time and count as a write.
const renameReturning = cachedRead((db: Db, id: string, name: string) =>
  db.updateTable('users').set({ name }).where('id', '=', id).returning('name'),
);

describeEachDialectWith('the read cache', openMigrated, (opened) => {
  const db = () => opened().handle.db;
  const dialect = () => opened().handle.dialect;

  it('a cached read sees an auto-commit UPDATE … RETURNING made through the same handle', async () => {
    const id = await userNamed(db(), 'Before');
    expect(await userName(db(), id)).toEqual([{ name: 'Before' }]);
    const renamed = await db().updateTable('users').set({ name: 'After' }).where('id', '=', id).returning('name').execute();
    expect(renamed).toEqual([{ name: 'After' }]);
    expect(await userName(db(), id)).toEqual([{ name: 'After' }]);
  });

  it('caches only read-only statements: a writing one runs every time, and the reads after it see its write', async () => {
    const id = await userNamed(db(), 'First');
    expect(await userName(db(), id)).toEqual([{ name: 'First' }]);
    expect(await renameReturning(db(), id, 'Second')).toEqual([{ name: 'Second' }]);
    expect(await userName(db(), id)).toEqual([{ name: 'Second' }]);
    expect(await renameReturning(db(), id, 'First')).toEqual([{ name: 'First' }]);
    expect(await userName(db(), id)).toEqual([{ name: 'First' }]);
  });

  it('on SQLite answers a repeated read from memory; PostgreSQL asks every time', async () => {
    const id = await userNamed(db(), 'Counted');
    await userName(db(), id);
    const before = statementsSent(db());
    await userName(db(), id);
    expect(statementsSent(db()) - before).toBe(dialect() === 'sqlite' ? 0 : 1);
  });

  it('keeps an answer derived from shared rows until they change; derives afresh from rows read in a transaction', async () => {
    const id = await userNamed(db(), 'Kept');
    const reads = readsOf(db());
    let derived = 0;
    const greeting = async (from: Db) => {
      const rows = await userName(from, id);
      return readsOf(from).keep('test greeting', [rows], () => ({ text: `Hello ${rows[0]?.name}`, serial: ++derived }));
    };
    const first = await greeting(db());
    const second = await greeting(db());
    expect(second.text).toBe('Hello Kept');
    // Shared rows on SQLite: derived once, the same (frozen) answer. PostgreSQL reads new rows each time.
    expect(second === first).toBe(dialect() === 'sqlite');
    expect(Object.isFrozen(second)).toBe(dialect() === 'sqlite');
    await db().updateTable('users').set({ name: 'Changed' }).where('id', '=', id).execute();
    expect((await greeting(db())).text).toBe('Hello Changed');
    const inTransaction = await db()
      .transaction()
      .execute(async (trx) => {
        await trx.updateTable('users').set({ name: 'Uncommitted' }).where('id', '=', id).execute();
        return [await greeting(trx), await greeting(trx)];
      });
    expect(inTransaction.map((answer) => answer.text)).toEqual(['Hello Uncommitted', 'Hello Uncommitted']);
    expect(inTransaction[0]).not.toBe(inTransaction[1]);
    expect(reads).toBe(opened().handle.reads);
  });
});

it('requests that arrive together share one freshness check, which sees what another process committed before they arrived', async () => {
  const { file, handle, close } = await openMigrated('sqlite');
  try {
    const id = await userNamed(handle.db, 'Owner');
    expect(await userName(handle.db, id)).toEqual([{ name: 'Owner' }]);

    // Another process renames the user; then two requests arrive.
    const other = new SQLite(file!);
    other.prepare('update users set name = ? where id = ?').run('Viewer', id);
    other.close();
    handle.reads.requestArrived();
    const first = handle.reads.settled();
    handle.reads.requestArrived();
    expect(handle.reads.settled()).toBe(first);
    await first;
    expect(await userName(handle.db, id)).toEqual([{ name: 'Viewer' }]);

    // A later arrival waits for a check of its own.
    handle.reads.requestArrived();
    const next = handle.reads.settled();
    expect(next).not.toBe(first);
    await next;
  } finally {
    await close();
  }
});

it('a freshness check that cannot reach the database fails the waiting requests, not the process', async () => {
  const handle = await openDatabase(':memory:');
  await pingDatabase(handle.db); // Kysely opens its driver at the first statement, and closes it only then
  await handle.close();
  handle.reads.requestArrived();
  await expect(handle.reads.settled()).rejects.toThrow(/not open/);
});
