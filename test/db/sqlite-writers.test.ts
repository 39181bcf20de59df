import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js';

// A CLI beside a running server shares the SQLite file with it: two writers, two connections.
let handle: DatabaseHandle | undefined;
let other: SQLite.Database | undefined;
afterEach(async () => {
  other?.close();
  await handle?.close();
});

it('a transaction that reads, then writes, is not refused because another connection committed in between', async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-writers-')), 'db.sqlite');
  handle = await openDatabase(file);
  await sql`create table counters (name text primary key, value integer not null)`.execute(handle.db);
  await sql`insert into counters values ('a', 0), ('b', 0)`.execute(handle.db);
  other = new SQLite(file);
  other.pragma('busy_timeout = 0'); // refuse at once instead of blocking this single-threaded test
  const second = other;

  let otherWrite: 'committed' | 'refused' | undefined;
  await handle.db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ value: number }>`select value from counters where name = 'a'`.execute(trx);
    // Under a deferred BEGIN this commit succeeds, and the write below then fails with SQLITE_BUSY_SNAPSHOT.
    try {
      second.prepare(`update counters set value = value + 1 where name = 'b'`).run();
      otherWrite = 'committed';
    } catch (error) {
      expect((error as { code?: string }).code).toBe('SQLITE_BUSY');
      otherWrite = 'refused';
    }
    await sql`update counters set value = ${(rows[0]?.value ?? 0) + 1} where name = 'a'`.execute(trx);
  });

  // The other writer waits its turn (here: is refused, having no busy timeout); ours went through.
  expect(otherWrite).toBe('refused');
  const { rows } = await sql<{ name: string; value: number }>`select name, value from counters order by name`.execute(handle.db);
  expect(rows).toEqual([
    { name: 'a', value: 1 },
    { name: 'b', value: 0 },
  ]);
});
