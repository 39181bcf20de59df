import { expect, it } from 'vitest';
import { generateToken } from '../../src/credentials/token-format.js';
import { createUser, createWorkspace, expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { createToken } from '../tokens/helpers.js';
import { LEAKS_PATH, leakAudits, leakEvents, reportLeak } from './helpers.js';

const ONE_MB = 1024 * 1024;

/** A JSON report exactly `bytes` long. */
function reportOfSize(bytes: number): string {
  const frame = JSON.stringify({ strings: [''] });
  return JSON.stringify({ strings: ['x'.repeat(bytes - frame.length)] });
}

describeEachDialect('token leak reports: one answer whatever was found', (app) => {
  it('a live token, the same token once revoked, a random well-formed token and garbage get the same status and shape', async () => {
    const owner = await createUser(app());
    const workspace = await createWorkspace(app(), owner);
    const personal = await createToken(app(), owner);

    const answers = [];
    for (const strings of [[personal.token], [personal.token], [generateToken('agent')], ['garbage'], []]) {
      const res = await app().request('POST', LEAKS_PATH, { body: { strings } });
      answers.push([res.status, Object.keys(res.body), typeof res.body.examined]);
    }

    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    expect(answers[0]).toEqual([202, ['examined'], 'number']);
    // Reporting a token already revoked tells no one again.
    expect(await leakAudits(app(), personal.id)).toHaveLength(1);
    expect(await leakEvents(app(), owner.token, workspace.id)).toHaveLength(1);
  });

  it('counts every distinct token-shaped string, checksum right or wrong, and nothing glued to other characters', async () => {
    const good = generateToken('workspace');
    const badChecksum = `${good.slice(0, -1)}${good.endsWith('0') ? '1' : '0'}`;
    const glued = `x${generateToken('personal')}`;
    expect(await reportLeak(app(), [`${good} ${good}`, badChecksum, glued, 'tgp_short'])).toBe(2);
  });

  it('an expired token is left as it is: it no longer works', async () => {
    const owner = await createUser(app());
    await createWorkspace(app(), owner);
    const personal = await createToken(app(), owner);
    const past = new Date(Date.now() - 1000).toISOString();
    await app().ctx.db.updateTable('personal_access_tokens').set({ expires_at: past }).where('id', '=', personal.id).execute();

    await reportLeak(app(), [personal.token]);

    expectError(await app().request('GET', '/api/v1/me', { token: personal.token }), 401, 'TOKEN_EXPIRED');
    expect(await leakAudits(app(), personal.id)).toHaveLength(0);
  });

  it('takes a report of exactly 1 MB and refuses one byte more with 413', async () => {
    const atLimit = await app().request('POST', LEAKS_PATH, { rawBody: reportOfSize(ONE_MB) });
    expect(atLimit.status, atLimit.text).toBe(202);
    expectError(await app().request('POST', LEAKS_PATH, { rawBody: reportOfSize(ONE_MB + 1) }), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('examines up to 1,000 distinct token-shaped strings and refuses a report holding more, before any lookup', async () => {
    const owner = await createUser(app());
    await createWorkspace(app(), owner);
    const personal = await createToken(app(), owner);
    const others = Array.from({ length: 999 }, () => generateToken('personal'));
    expect(await reportLeak(app(), [...others, `${personal.token}`].slice(0, 1000))).toBe(1000);
    const another = await createToken(app(), owner);
    const tooMany = [...others, generateToken('agent'), another.token];
    expectError(await app().request('POST', LEAKS_PATH, { body: { strings: tooMany } }), 400, 'VALIDATION_FAILED');
    // Nothing in the refused report was acted on.
    expect((await app().request('GET', '/api/v1/me', { token: another.token })).status).toBe(200);
    expect(await leakAudits(app(), another.id)).toHaveLength(0);
  });

  it('refuses a source longer than 2,000 characters and unknown fields with 400', async () => {
    expectError(await app().request('POST', LEAKS_PATH, { body: { strings: [], source: 'x'.repeat(2001) } }), 400, 'VALIDATION_FAILED');
    expectError(await app().request('POST', LEAKS_PATH, { body: { strings: [], extra: 1 } }), 400, 'VALIDATION_FAILED');
  });
});

describeEachDialect(
  'token leak reports: a budget per address',
  (app) => {
    it('answers 429 with Retry-After past TASKGATE_LEAK_REPORT_RATE_LIMIT reports a minute from one address', async () => {
      for (let i = 0; i < 3; i++) await reportLeak(app(), []);
      const refused = await app().request('POST', LEAKS_PATH, { body: { strings: [] } });
      expectError(refused, 429, 'RATE_LIMITED');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    });
  },
  { TASKGATE_LEAK_REPORT_RATE_LIMIT: '3' },
);
