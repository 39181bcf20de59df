import { expect, it } from 'vitest';
import { statementsSent } from '../../src/db/database.js';
import { lastUsedFlusher } from '../../src/credentials/last-use.js';
import { generateToken } from '../../src/credentials/token-format.js';
import { expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { createToken, tokenOwner, tokenRow } from './helpers.js';

/** PostgreSQL asks whether the database changed once per batch of arriving requests (ADR 0008); SQLite's check is free. */
const freshnessCheck = (dialect: string) => (dialect === 'postgres' ? 1 : 0);

function forgeChecksum(token: string): string {
  const last = token.at(-1) === 'A' ? 'B' : 'A';
  return token.slice(0, -1) + last;
}

describeEachDialect('personal tokens: cost of authentication', (app) => {
  it('refuses a forged-checksum or malformed token without a single database statement', async () => {
    const { owner } = await tokenOwner(app());
    const { token } = await createToken(app(), owner);
    await app().ctx.usage.flush();
    const before = statementsSent(app().ctx.db);
    for (const bad of [forgeChecksum(token), forgeChecksum(generateToken('personal')), 'tgp_not-even-close', `tgx_${token.slice(4)}`]) {
      expectError(await app().request('GET', '/api/v1/me', { token: bad }), 401, 'INVALID_TOKEN');
    }
    expect(statementsSent(app().ctx.db)).toBe(before);
    // The counter does count: a well-formed unknown token costs exactly its one lookup (and, on PostgreSQL, the one
    // freshness check the requests arriving together share, ADR 0008).
    expectError(await app().request('GET', '/api/v1/me', { token: generateToken('personal') }), 401, 'INVALID_TOKEN');
    expect(statementsSent(app().ctx.db)).toBe(before + 1 + freshnessCheck(app().dialect));
  });

  it('resolves a valid token with one lookup, as a session does, and writes nothing while authenticating', async () => {
    const { owner, workspace } = await tokenOwner(app());
    const { id, token } = await createToken(app(), owner);
    await app().ctx.usage.flush();
    const rowBefore = await tokenRow(app(), id);
    let renames = 0;
    const statementsFor = async (credential: string, afterAChange: boolean, path = `/api/v1/workspaces/${workspace.id}`) => {
      // Any write makes every later read go to the database again (see docs/adr/0001-sqlite-read-cache.md).
      if (afterAChange) {
        const renamed = await app().request('PATCH', `/api/v1/workspaces/${workspace.id}`, {
          token: owner.token,
          body: { name: `Renamed ${++renames}` },
        });
        expect(renamed.status).toBe(200);
      }
      const before = statementsSent(app().ctx.db);
      expect((await app().request('GET', path, { token: credential })).status).toBe(200);
      return statementsSent(app().ctx.db) - before;
    };
    // Token and session each resolve with one lookup: the same read costs the same either way.
    const byToken = await statementsFor(token, true);
    expect(byToken).toBe(await statementsFor(owner.token, true));
    // `/me` is the token lookup and the owner's paid workspaces. Asked again with nothing changed, both answer
    // from memory: SQLite sends nothing, PostgreSQL only its freshness check.
    expect(await statementsFor(token, true, '/api/v1/me')).toBe(2 + freshnessCheck(app().dialect));
    expect(await statementsFor(token, false, '/api/v1/me')).toBe(freshnessCheck(app().dialect));
    for (let i = 0; i < 3; i++) expect((await app().request('GET', '/api/v1/me', { token })).status).toBe(200);
    expect(await tokenRow(app(), id)).toEqual(rowBefore);
  });

  it('keeps last use in memory, shows it in the list at once, and writes it on flush', async () => {
    const { owner } = await tokenOwner(app());
    const { id, token } = await createToken(app(), owner);
    const start = new Date().toISOString();
    expect((await app().request('GET', '/api/v1/me', { token })).status).toBe(200);
    expect((await tokenRow(app(), id)).last_used_at).toBeNull();

    const listed = await app().request('GET', `/api/v1/tokens/${id}`, { token: owner.token });
    expect(listed.body.lastUsedAt >= start).toBe(true);
    expect(listed.body.lastUsedIp).toBe('127.0.0.1');

    await app().ctx.usage.flush();
    const row = await tokenRow(app(), id);
    expect(row.last_used_at).toBe(listed.body.lastUsedAt);
    expect(row.last_used_ip).toBe('127.0.0.1');
    const list = await app().request('GET', '/api/v1/tokens', { token: owner.token });
    expect(list.body.items[0]).toMatchObject({ id, lastUsedAt: row.last_used_at, lastUsedIp: '127.0.0.1' });
  });

  it('never moves last use backwards when an older batch is flushed late (another process)', async () => {
    const { owner } = await tokenOwner(app());
    const { id, token } = await createToken(app(), owner);
    await app().request('GET', '/api/v1/me', { token });
    await app().ctx.usage.flush();
    const newest = (await tokenRow(app(), id)).last_used_at;
    // The next use must be later than the stored one, not in the same millisecond.
    while (new Date().toISOString() <= (newest ?? '')) await new Promise((r) => setTimeout(r, 1));
    app().ctx.usage.touch('personal_access_tokens', id, '10.0.0.9');
    // A stale batch: its time is before what is stored.
    const stale = new Map([[id, { at: '2000-01-01T00:00:00.000Z', ip: '10.0.0.9' }]]);
    await lastUsedFlusher('personal_access_tokens')(app().ctx.db, stale);
    expect((await tokenRow(app(), id)).last_used_at).toBe(newest);
    await app().ctx.usage.flush();
    expect((await tokenRow(app(), id)).last_used_ip).toBe('10.0.0.9');
  });
});
