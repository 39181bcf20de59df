import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { hashToken } from '../../src/credentials/token-format.js';
import { describeEachDialect, type TestApp } from '../helpers/harness.js';
import { createToken, tokenOwner } from './helpers.js';

/** Every row of every table, as text: what an attacker with a copy of the database would read. */
async function everyRow(t: TestApp): Promise<string> {
  const tables = await t.ctx.db.introspection.getTables();
  expect(tables.map((table) => table.name)).toContain('personal_access_tokens');
  const dumps: string[] = [];
  for (const table of tables) {
    const { rows } = await sql`select * from ${sql.table(table.name)}`.execute(t.ctx.db);
    dumps.push(JSON.stringify(rows));
  }
  return dumps.join('\n');
}

function sqliteFileBytes(t: TestApp): Buffer {
  const file = path.join(t.dataDir, 'taskgate.sqlite');
  return Buffer.concat([file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
}

describeEachDialect('personal tokens: the secret is stored nowhere', (app) => {
  it('keeps only hashes: no table row and no byte of the database file holds a plaintext token', async () => {
    const { owner } = await tokenOwner(app());
    const first = await createToken(app(), owner);
    const rotated = await app().request('POST', `/api/v1/tokens/${first.id}/rotate`, { token: owner.token, body: { graceSeconds: 600 } });
    const second: string = rotated.body.token;
    for (const token of [first.token, second]) expect((await app().request('GET', '/api/v1/me', { token })).status).toBe(200);
    await app().request('DELETE', `/api/v1/tokens/${first.id}`, { token: owner.token });
    expect((await app().request('GET', '/api/v1/me', { token: second })).status).toBe(401);
    await app().ctx.usage.flush();

    const rows = await everyRow(app());
    // The dump does hold the token's data: its hashes and masked prefix are there, so a leak would be seen.
    expect(rows).toContain(hashToken(first.token));
    expect(rows).toContain(hashToken(second));
    for (const token of [first.token, second]) {
      expect(rows).not.toContain(token);
      expect(rows).not.toContain(token.slice(10));
    }
    const audit = JSON.stringify(await app().ctx.db.selectFrom('audit_log').selectAll().where('user_id', '=', owner.id).execute());
    expect(audit).not.toContain(hashToken(first.token));
    expect(audit).not.toContain(hashToken(second));

    if (app().dialect === 'sqlite') {
      const bytes = sqliteFileBytes(app());
      expect(bytes.includes(hashToken(second))).toBe(true);
      for (const token of [first.token, second]) expect(bytes.includes(token.slice(10))).toBe(false);
    }
  });
});
