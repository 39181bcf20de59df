import { expect, it } from 'vitest';
import { expectError, type TestUser } from '../helpers/factories.js';
import { describeEachDialect, type TestApp } from '../helpers/harness.js';
import { createProject, ok, ownProject } from '../tasks/fixtures.js';

type PageBody = { items: Array<{ id: string }>; nextCursor: string | null };

interface Walk {
  ids: string[];
  pages: number;
}

/** Follows `nextCursor` from the first page to the last, as a client would. */
async function walk(t: TestApp, user: TestUser, list: string, limit: number): Promise<Walk> {
  const ids: string[] = [];
  let pages = 0;
  let cursor: string | null = null;
  do {
    const query: string = `limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
    const page: PageBody = ok<PageBody>(await t.request('GET', `${list}${query}`, { token: user.token }));
    expect(page.items.length).toBeLessThanOrEqual(limit);
    ids.push(...page.items.map((item) => item.id));
    pages += 1;
    cursor = page.nextCursor;
  } while (cursor !== null && pages < 100);
  return { ids, pages };
}

/** The whole list in one page. */
async function everything(t: TestApp, user: TestUser, list: string): Promise<string[]> {
  const page = ok(await t.request('GET', `${list}limit=100`, { token: user.token }));
  expect(page.nextCursor).toBeNull();
  return page.items.map((item: { id: string }) => item.id);
}

/** A workspace with projects whose names tie (keyset by name, then id), their events (by seq) and webhooks (by id). */
async function listsWithRows(t: TestApp) {
  const { owner, workspace, space } = await ownProject(t);
  for (const name of ['Backend', 'Alpha', 'Backend', 'Zulu', 'Alpha', 'Mid']) await createProject(t, owner, space.id, name);
  for (const path of ['a', 'b', 'c', 'd', 'e']) {
    ok(
      await t.request('POST', `/api/v1/workspaces/${workspace.id}/webhooks`, {
        token: owner.token,
        body: { url: `http://127.0.0.1:9/${path}`, events: ['task.created'] },
      }),
      201,
    );
  }
  const lists = {
    projects: `/api/v1/projects?workspaceId=${workspace.id}&`,
    events: `/api/v1/workspaces/${workspace.id}/events?`,
    webhooks: `/api/v1/workspaces/${workspace.id}/webhooks?`,
  };
  return { owner, lists };
}

describeEachDialect('pagination: every list pages the same way', (app) => {
  it('walking every page returns every row once, in the one-page order, whatever the page size', async () => {
    const { owner, lists } = await listsWithRows(app());
    for (const list of Object.values(lists)) {
      const all = await everything(app(), owner, list);
      expect(all.length).toBeGreaterThanOrEqual(5);
      expect(new Set(all).size).toBe(all.length);
      for (const limit of [1, 2, 3]) {
        const { ids, pages } = await walk(app(), owner, list, limit);
        expect(ids, `${list} limit=${limit}`).toEqual(all);
        expect(pages).toBe(Math.ceil(all.length / limit));
      }
    }
  });

  it('sorts tied project names by id, and a page that ends the list has no next cursor', async () => {
    const { owner, lists } = await listsWithRows(app());
    const page = ok(await app().request('GET', `${lists.projects}limit=100`, { token: owner.token }));
    const keys = page.items.map((p: { name: string; id: string }) => [p.name, p.id]);
    expect(keys).toEqual([...keys].sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1)));
    // Exactly a page's worth: the extra row fetched to look ahead is not there, so there is no empty last page.
    const exact = ok(await app().request('GET', `${lists.projects}limit=${page.items.length}`, { token: owner.token }));
    expect(exact.items).toHaveLength(page.items.length);
    expect(exact.nextCursor).toBeNull();
    const short = ok(await app().request('GET', `${lists.projects}limit=${page.items.length - 1}`, { token: owner.token }));
    expect(short.nextCursor).toEqual(expect.any(String));
  });

  it('answers a cursor it did not give, or one of another list, with 400 in the JSON error shape', async () => {
    const { owner, lists } = await listsWithRows(app());
    const cursorOf = async (list: string) => ok(await app().request('GET', `${list}limit=1`, { token: owner.token })).nextCursor as string;
    const projectCursor = await cursorOf(lists.projects);
    const eventCursor = await cursorOf(lists.events);
    const refusals: Array<[string, string]> = [
      [lists.projects, 'garbage'],
      [lists.events, '%7B%7D'],
      [lists.webhooks, Buffer.from('not json').toString('base64url')],
      [lists.projects, eventCursor],
      [lists.events, projectCursor],
      [lists.webhooks, eventCursor],
    ];
    for (const [list, cursor] of refusals) {
      const res = await app().request('GET', `${list}cursor=${cursor}`, { token: owner.token });
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.body).toMatchObject({ error: 'Invalid request: cursor is invalid', fields: [{ field: 'cursor', message: 'is invalid' }] });
    }
  });
});
