import SQLite from 'better-sqlite3';
import { expect, it } from 'vitest';
import { cachedReads, statementCache } from '../../src/db/sqlite-reads.js';

function readerOn(sqlite: SQLite.Database) {
  const prepare = statementCache(sqlite, () => undefined);
  return cachedReads(sqlite, prepare, () => undefined, () => 0);
}

it('requests that arrive together wait for one freshness check, made after they all arrived', async () => {
  const sqlite = new SQLite(':memory:');
  const reads = readerOn(sqlite);
  reads.requestArrived();
  const first = reads.settled();
  reads.requestArrived();
  // The second arrival joins the same pending check rather than starting its own.
  expect(reads.settled()).toBe(first);
  await first;
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
