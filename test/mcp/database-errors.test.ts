import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { asAppError } from '../../src/errors/known-errors.js';
import { enabledDialects } from '../helpers/harness.js';
import { TEST_POSTGRES_URL } from '../helpers/postgres.js';

/** The error a statement fails with, as the driver throws it. */
async function failureOf(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (err) {
    return err;
  }
  throw new Error('the statement did not fail');
}

// The mapping the MCP tools and resources share with the REST error handler, held to real driver errors.
describe('asAppError: database failures the request caused or a race decided', () => {
  it('maps SQLite constraint failures to CONFLICT and leaves other failures unknown', async () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    db.exec(
      'CREATE TABLE parent (id TEXT PRIMARY KEY); CREATE TABLE child (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL REFERENCES parent(id))',
    );
    db.prepare("INSERT INTO parent VALUES ('p')").run();
    expect(asAppError(await failureOf(() => db.prepare("INSERT INTO parent VALUES ('p')").run()))).toMatchObject({
      code: 'CONFLICT',
      statusCode: 409,
    });
    expect(asAppError(await failureOf(() => db.prepare("INSERT INTO child VALUES ('c', 'gone')").run()))).toMatchObject({
      code: 'CONFLICT',
    });
    expect(asAppError(await failureOf(() => db.prepare('SELECT * FROM missing').all()))).toBeNull();
    expect(asAppError(new Error('boom'))).toBeNull();
    db.close();
  });

  it.runIf(enabledDialects().includes('postgres'))(
    'maps PostgreSQL data exceptions to BAD_REQUEST and unique violations to CONFLICT',
    async () => {
      const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await client.connect();
      try {
        expect(asAppError(await failureOf(() => client.query("SELECT 'not a number'::integer")))).toMatchObject({
          code: 'BAD_REQUEST',
          statusCode: 400,
        });
        await client.query('CREATE TEMPORARY TABLE once (id TEXT PRIMARY KEY)');
        await client.query("INSERT INTO once VALUES ('a')");
        expect(asAppError(await failureOf(() => client.query("INSERT INTO once VALUES ('a')")))).toMatchObject({ code: 'CONFLICT' });
        expect(asAppError(await failureOf(() => client.query('SELECT * FROM no_such_table')))).toBeNull();
      } finally {
        await client.end();
      }
    },
  );
});
