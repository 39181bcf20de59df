import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
  /** A second handle on the same database, as another process would open it (closed with this one). */
  other(): Promise<DatabaseHandle>;
  close(): Promise<void>;
}

async function openMigrated(dialect: DialectName): Promise<OpenedDatabase> {
  const others: DatabaseHandle[] = [];
  if (dialect === 'postgres') {
    const schema = freshSchemaName();
    const handle = await openDatabase(TEST_POSTGRES_URL, schema);
    await migrateToLatest(handle.db, handle.dialect);
    return {
      handle,
      file: null,
      other: async () => others[others.push(await openDatabase(TEST_POSTGRES_URL, schema)) - 1]!,
      close: async () => {
        for (const other of others) await other.close();
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
    other: async () => others[others.push(await openDatabase(file)) - 1]!,
    close: async () => {
      for (const other of others) await other.close();
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
const sessionExpiry = cachedRead((db: Db, id: string) => db.selectFrom('sessions').select(['expires_at']).where('id', '=', id));
// No trigger watches the events table: on PostgreSQL its rows are never kept.
const eventCount = cachedRead((db: Db, workspaceId: string) =>
  db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId),
);

/** A session of the user's, with a last use that the usage flush would write. */
async function sessionOf(db: Db, userId: string): Promise<string> {
  const id = newId('session');
  const now = new Date().toISOString();
  await db
    .insertInto('sessions')
    .values({
      id,
      user_id: userId,
      token_hash: `hash-${id}`,
      device_label: 'test',
      user_agent: null,
      ip: null,
      created_at: now,
      last_seen_at: now,
      expires_at: '2099-01-01T00:00:00.000Z',
    })
    .execute();
  return id;
}

describeEachDialectWith('the read cache', openMigrated, (opened) => {
  const db = () => opened().handle.db;
  const dialect = () => opened().handle.dialect;
  /** What a request does before it reads: a freshness check that started after it arrived. */
  const arrive = async () => {
    opened().handle.reads.requestArrived();
    await opened().handle.reads.settled();
  };

  it('a cached read sees an auto-commit UPDATE … RETURNING made through the same handle', async () => {
    const id = await userNamed(db(), 'Before');
    await arrive();
    expect(await userName(db(), id)).toEqual([{ name: 'Before' }]);
    const renamed = await db().updateTable('users').set({ name: 'After' }).where('id', '=', id).returning('name').execute();
    expect(renamed).toEqual([{ name: 'After' }]);
    expect(await userName(db(), id)).toEqual([{ name: 'After' }]);
  });

  it('caches only read-only statements: a writing one runs every time, and the reads after it see its write', async () => {
    const id = await userNamed(db(), 'First');
    await arrive();
    expect(await userName(db(), id)).toEqual([{ name: 'First' }]);
    expect(await renameReturning(db(), id, 'Second')).toEqual([{ name: 'Second' }]);
    expect(await userName(db(), id)).toEqual([{ name: 'Second' }]);
    expect(await renameReturning(db(), id, 'First')).toEqual([{ name: 'First' }]);
    expect(await userName(db(), id)).toEqual([{ name: 'First' }]);
  });

  it('answers a repeated read from memory once a check found the database unchanged', async () => {
    const id = await userNamed(db(), 'Counted');
    await arrive();
    const first = await userName(db(), id);
    const before = statementsSent(db());
    expect(await userName(db(), id)).toBe(first);
    expect(statementsSent(db()) - before).toBe(0);
  });

  it('keeps an answer derived from shared rows until they change; derives afresh from rows read in a transaction', async () => {
    const id = await userNamed(db(), 'Kept');
    const reads = readsOf(db());
    let derived = 0;
    const greeting = async (from: Db) => {
      const rows = await userName(from, id);
      return readsOf(from).keep('test greeting', [rows], () => ({ text: `Hello ${rows[0]?.name}`, serial: ++derived }));
    };
    await arrive();
    const first = await greeting(db());
    const second = await greeting(db());
    expect(second.text).toBe('Hello Kept');
    // Shared rows: derived once, the same (frozen) answer.
    expect(second).toBe(first);
    expect(Object.isFrozen(second)).toBe(true);
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

  it('sees at the next request what another process committed, an UPDATE … RETURNING included', async () => {
    const id = await userNamed(db(), 'Mine');
    const other = await opened().other();
    await arrive();
    const kept = await userName(db(), id);
    expect(kept).toEqual([{ name: 'Mine' }]);

    await other.db.updateTable('users').set({ name: 'Theirs' }).where('id', '=', id).execute();
    await arrive();
    expect(await userName(db(), id)).toEqual([{ name: 'Theirs' }]);

    await arrive();
    expect(await userName(db(), id)).toEqual([{ name: 'Theirs' }]);
    const returned = await other.db.updateTable('users').set({ name: 'Returned' }).where('id', '=', id).returning('name').execute();
    expect(returned).toEqual([{ name: 'Returned' }]);
    await arrive();
    expect(await userName(db(), id)).toEqual([{ name: 'Returned' }]);
  });

  it('requests that arrive together share one freshness check, which sees what another process committed before they arrived', async () => {
    const { handle } = opened();
    const id = await userNamed(handle.db, 'Owner');
    const other = await opened().other();
    await arrive();
    expect(await userName(handle.db, id)).toEqual([{ name: 'Owner' }]);

    // Another process renames the user; then two requests arrive.
    await other.db.updateTable('users').set({ name: 'Viewer' }).where('id', '=', id).execute();
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
  });

  it('a change another process has written but not yet committed is seen once it commits, never lost', async () => {
    const id = await userNamed(db(), 'Committed');
    const other = await opened().other();
    await arrive();
    expect(await userName(db(), id)).toEqual([{ name: 'Committed' }]);

    let commit!: () => void;
    const committing = new Promise<void>((resolve) => (commit = resolve));
    let written!: () => void;
    const wrote = new Promise<void>((resolve) => (written = resolve));
    const transaction = other.db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ name: 'Pending' }).where('id', '=', id).execute();
      written();
      await committing;
    });
    await wrote;
    // The write is made (on PostgreSQL its trigger has moved the version), not committed: not visible yet.
    await arrive();
    expect(await userName(db(), id)).toEqual([{ name: 'Committed' }]);
    await arrive();
    expect(await userName(db(), id)).toEqual([{ name: 'Committed' }]);
    commit();
    await transaction;
    await arrive();
    expect(await userName(db(), id)).toEqual([{ name: 'Pending' }]);
  });

  it('a last-use flush leaves the kept rows in place on PostgreSQL; any other change to the row is seen', async () => {
    const userId = await userNamed(db(), 'Session owner');
    const sessionId = await sessionOf(db(), userId);
    const other = await opened().other();
    await arrive();
    const kept = await sessionExpiry(db(), sessionId);

    await other.db
      .updateTable('sessions')
      .set({ last_seen_at: new Date().toISOString(), ip: '192.0.2.1' })
      .where('id', '=', sessionId)
      .execute();
    await arrive();
    const afterFlush = await sessionExpiry(db(), sessionId);
    expect(afterFlush).toEqual(kept);
    // SQLite knows only that the database changed; PostgreSQL's triggers ignore last-use columns.
    if (dialect() === 'postgres') expect(afterFlush).toBe(kept);

    await other.db.updateTable('sessions').set({ expires_at: '2000-01-01T00:00:00.000Z' }).where('id', '=', sessionId).execute();
    await arrive();
    expect(await sessionExpiry(db(), sessionId)).toEqual([{ expires_at: '2000-01-01T00:00:00.000Z' }]);
  });

  it("this process's own last-use flush and event inserts leave the kept rows in place on PostgreSQL", async () => {
    const userId = await userNamed(db(), 'Own flush');
    const sessionId = await sessionOf(db(), userId);
    await arrive();
    const kept = await sessionExpiry(db(), sessionId);
    await db()
      .transaction()
      .execute(async (trx) => {
        await trx
          .updateTable('sessions')
          .set({ last_seen_at: new Date().toISOString(), ip: '192.0.2.2' })
          .where('id', '=', sessionId)
          .execute();
      });
    const afterFlush = await sessionExpiry(db(), sessionId);
    expect(afterFlush).toEqual(kept);
    if (dialect() === 'postgres') expect(afterFlush).toBe(kept);
    // Any other change through this handle is seen at once, before any check.
    await db().updateTable('sessions').set({ expires_at: '2001-01-01T00:00:00.000Z' }).where('id', '=', sessionId).execute();
    expect(await sessionExpiry(db(), sessionId)).toEqual([{ expires_at: '2001-01-01T00:00:00.000Z' }]);
  });

  it('on PostgreSQL never keeps rows of a table no trigger watches', async () => {
    await arrive();
    const first = await eventCount(db(), 'wsp_none');
    const before = statementsSent(db());
    const second = await eventCount(db(), 'wsp_none');
    expect(second).toEqual(first);
    expect(statementsSent(db()) - before).toBe(dialect() === 'postgres' ? 1 : 0);
  });

  it('a freshness check that cannot reach the database fails the waiting requests, not the process', async () => {
    const handle = await opened().other();
    await pingDatabase(handle.db); // Kysely opens its driver at the first statement, and closes it only then
    await handle.close();
    handle.reads.requestArrived();
    await expect(handle.reads.settled()).rejects.toThrow();
  });
});
