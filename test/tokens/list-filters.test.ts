import { expect, it } from 'vitest';
import { expectError } from '../helpers/factories.js';
import { describeEachDialect, type HttpResult, type TestApp } from '../helpers/harness.js';
import { createToken, expireToken, tokenOwner } from './helpers.js';

type Page = { items: Array<{ id: string; name: string; status: string }>; nextCursor: string | null };

/** Every page of GET /tokens with `query`, following nextCursor. */
async function allPages(t: TestApp, session: string, query: string): Promise<{ names: string[]; statuses: string[]; pages: number }> {
  const names: string[] = [];
  const statuses: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res: HttpResult<Page> = await t.request<Page>(
      'GET',
      `/api/v1/tokens?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { token: session },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    names.push(...res.body.items.map((item) => item.name));
    statuses.push(...res.body.items.map((item) => item.status));
    cursor = res.body.nextCursor;
    pages += 1;
  } while (cursor !== null);
  return { names, statuses, pages };
}

/** Seven tokens, created in this order (so listed newest first): three active, two expired, two revoked. */
async function seeded(t: TestApp) {
  const { owner } = await tokenOwner(t);
  const made: Record<string, string> = {};
  for (const name of ['Deploy bot', 'CI main', 'ci nightly', 'Backup', 'deploy staging', 'Old CI', 'Laptop']) {
    made[name] = (await createToken(t, owner, { name })).id;
  }
  await expireToken(t, made.Backup!);
  await expireToken(t, made['deploy staging']!);
  for (const name of ['Old CI', 'Laptop'])
    expect((await t.request('DELETE', `/api/v1/tokens/${made[name]}`, { token: owner.token })).status).toBe(204);
  // Revoked wins over expired: this one is both.
  await expireToken(t, made.Laptop!);
  return owner;
}

describeEachDialect('personal tokens: filtering the list by status and name', (app) => {
  it('keeps one status, newest first, paging through the filtered list alone', async () => {
    const owner = await seeded(app());
    expect(await allPages(app(), owner.token, 'status=active&limit=2')).toEqual({
      names: ['ci nightly', 'CI main', 'Deploy bot'],
      statuses: ['active', 'active', 'active'],
      pages: 2,
    });
    expect(await allPages(app(), owner.token, 'status=expired&limit=1')).toEqual({
      names: ['deploy staging', 'Backup'],
      statuses: ['expired', 'expired'],
      pages: 2,
    });
    expect(await allPages(app(), owner.token, 'status=revoked')).toEqual({
      names: ['Laptop', 'Old CI'],
      statuses: ['revoked', 'revoked'],
      pages: 1,
    });
  });

  it('keeps names containing q, ignoring case, and combines it with status', async () => {
    const owner = await seeded(app());
    expect((await allPages(app(), owner.token, 'q=ci&limit=1')).names).toEqual(['Old CI', 'ci nightly', 'CI main']);
    expect((await allPages(app(), owner.token, 'q=DEPLOY')).names).toEqual(['deploy staging', 'Deploy bot']);
    expect((await allPages(app(), owner.token, 'q=ci&status=active')).names).toEqual(['ci nightly', 'CI main']);
    expect((await allPages(app(), owner.token, 'q=nothing-like-it')).names).toEqual([]);
  });

  it('matches LIKE wildcards literally and sees only the caller’s tokens', async () => {
    const { owner } = await tokenOwner(app());
    const other = (await tokenOwner(app())).owner;
    await createToken(app(), owner, { name: '100% ready' });
    await createToken(app(), owner, { name: 'under_score' });
    await createToken(app(), owner, { name: 'plain' });
    await createToken(app(), other, { name: '100% theirs' });
    expect((await allPages(app(), owner.token, `q=${encodeURIComponent('%')}`)).names).toEqual(['100% ready']);
    expect((await allPages(app(), owner.token, 'q=_')).names).toEqual(['under_score']);
    expect((await allPages(app(), owner.token, `q=${encodeURIComponent('0% r')}`)).names).toEqual(['100% ready']);
  });

  it('refuses an unknown status, an empty or over-long q, and a NUL in q', async () => {
    const { owner } = await tokenOwner(app());
    for (const query of ['status=gone', 'status=', 'q=', `q=${'x'.repeat(101)}`, 'q=a%00b']) {
      expectError(await app().request('GET', `/api/v1/tokens?${query}`, { token: owner.token }), 400, 'VALIDATION_FAILED');
    }
    expect((await app().request('GET', `/api/v1/tokens?q=${'x'.repeat(100)}`, { token: owner.token })).status).toBe(200);
  });
});
