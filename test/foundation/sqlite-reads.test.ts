import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { expect, it } from 'vitest';
import { cachedReads, statementCache } from '../../src/db/sqlite-reads.js';

function readerOn(sqlite: SQLite.Database) {
  const prepare = statementCache(sqlite, () => undefined);
  return cachedReads(sqlite, prepare, () => undefined, () => 0);
}

it('requests that arrive together share one freshness check, which sees what another connection committed before they arrived', async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-reads-')), 'db.sqlite');
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.exec("create table roles (user_id text primary key, role text not null); insert into roles values ('u1', 'owner')");
  const reads = readerOn(sqlite);
  const roleOf = () => reads.read('select role from roles where user_id = ?', 'u1', (args) => args, ['u1']);
  expect(roleOf()).toEqual([{ role: 'owner' }]);

  // Another process demotes the user; then two requests arrive.
  const other = new SQLite(file);
  other.prepare("update roles set role = 'viewer' where user_id = 'u1'").run();
  other.close();
  reads.requestArrived();
  const first = reads.settled();
  reads.requestArrived();
  expect(reads.settled()).toBe(first);
  await first;
  expect(roleOf()).toEqual([{ role: 'viewer' }]);

  // A later arrival waits for a check of its own.
  reads.requestArrived();
  const next = reads.settled();
  expect(next).not.toBe(first);
  await next;
  sqlite.close();
});

it('a check that cannot reach the database fails the waiting requests, not the process', async () => {
  const sqlite = new SQLite(':memory:');
  const reads = readerOn(sqlite);
  sqlite.close();
  reads.requestArrived();
  await expect(reads.settled()).rejects.toThrow(/not open/);
});
