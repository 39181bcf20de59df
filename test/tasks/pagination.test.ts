import { expect, it } from 'vitest';
import { insertTaskRows, seedTaskRow } from '../../src/tasks/task-seed.js';
import { PRIORITIES } from '../../src/tasks/task-views.js';
import type { TaskRow } from '../../src/tasks/tables.js';
import { expectError } from '../helpers/factories.js';
import { describeEachDialect, type TestApp } from '../helpers/harness.js';
import { ok, ownProject } from './fixtures.js';

const TOTAL = 1_000;
const PAGE = 37;

/** Many ties on every sort key and some missing due dates, so the id tie-break and null handling are exercised. */
function thousandTasks(project: { id: string; workspace_id: string }, ownerId: string): TaskRow[] {
  const base = Date.parse('2030-01-01T00:00:00Z');
  return Array.from({ length: TOTAL }, (_, i) =>
    seedTaskRow(
      project,
      { type: 'user', id: ownerId },
      {
        title: `Task ${i}`,
        position: i % 97,
        priority: PRIORITIES[i % PRIORITIES.length],
        status: ['todo', 'in_progress', 'blocked', 'done'][i % 4],
        dueAt: i % 7 === 0 ? null : new Date(base + (i % 50) * 86_400_000).toISOString(),
        createdAt: new Date(base + (i % 10) * 1000).toISOString(),
      },
    ),
  );
}

type Key = string | number | null;
const cmp = (a: Key, b: Key) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);

/** The order the API promises: the sort key (nulls as the largest value), then id, both in the sort's direction. */
function expectedOrder(rows: TaskRow[], key: (row: TaskRow) => Key, descending: boolean): string[] {
  const sign = descending ? -1 : 1;
  return [...rows].sort((a, b) => sign * (cmp(key(a), key(b)) || cmp(a.id, b.id))).map((row) => row.id);
}

async function pageThrough(t: TestApp, token: string, query: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const res: { items: Array<{ id: string }>; nextCursor: string | null } = ok(
      await t.request('GET', `/api/v1/tasks?${query}&limit=${PAGE}${cursor ? `&cursor=${cursor}` : ''}`, { token }),
    );
    expect(res.items.length).toBeLessThanOrEqual(PAGE);
    ids.push(...res.items.map((item: { id: string }) => item.id));
    cursor = res.nextCursor;
  } while (cursor);
  return ids;
}

describeEachDialect('tasks: cursor pagination through 1,000 tasks', (app) => {
  const sorts: Array<[string, (row: TaskRow) => Key]> = [
    ['position', (r) => r.position],
    ['-position', (r) => r.position],
    ['-priority', (r) => r.priority],
    ['dueAt', (r) => r.due_at],
    ['-dueAt', (r) => r.due_at],
    ['createdAt', (r) => r.created_at],
    ['-updatedAt', (r) => r.updated_at],
  ];

  it('pages every sort without gaps or repeats, in exactly the promised order', async () => {
    const { owner, project } = await ownProject(app());
    const rows = thousandTasks({ id: project.id, workspace_id: project.workspaceId }, owner.id);
    await insertTaskRows(app().ctx.db, rows);
    for (const [sort, key] of sorts) {
      const ids = await pageThrough(app(), owner.token, `projectId=${project.id}&sort=${sort}`);
      expect(new Set(ids).size, sort).toBe(TOTAL);
      expect(ids, sort).toEqual(expectedOrder(rows, key, sort.startsWith('-')));
    }
  });

  it('pages a filtered list (statuses and a due window) with a non-default sort', async () => {
    const { owner, project } = await ownProject(app());
    const rows = thousandTasks({ id: project.id, workspace_id: project.workspaceId }, owner.id);
    await insertTaskRows(app().ctx.db, rows);
    const from = '2030-01-10T00:00:00.000Z';
    const wanted = rows.filter((r) => ['todo', 'blocked'].includes(r.status) && r.due_at !== null && r.due_at > from);
    const ids = await pageThrough(app(), owner.token, `projectId=${project.id}&status=todo,blocked&dueAfter=${from}&sort=-dueAt`);
    expect(ids).toEqual(expectedOrder(wanted, (r) => r.due_at, true));
    expect(ids.length).toBeGreaterThan(PAGE * 3);
  });

  it('refuses a foreign or tampered cursor, a cursor of another sort, and limits outside 1..200', async () => {
    const { owner, project } = await ownProject(app());
    await insertTaskRows(app().ctx.db, thousandTasks({ id: project.id, workspace_id: project.workspaceId }, owner.id).slice(0, 5));
    const list = (query: string) => app().request('GET', `/api/v1/tasks?projectId=${project.id}&${query}`, { token: owner.token });
    const first = ok(await list('limit=2&sort=priority'));
    expect(first.nextCursor).toEqual(expect.any(String));
    expectError(await list(`limit=2&sort=position&cursor=${first.nextCursor}`), 400, 'VALIDATION_FAILED');
    for (const cursor of ['garbage', Buffer.from('{"s":"priority","v":{},"id":1}').toString('base64url')]) {
      expectError(await list(`cursor=${cursor}&sort=priority`), 400, 'VALIDATION_FAILED');
    }
    for (const limit of ['0', '201', 'ten', '-1']) expectError(await list(`limit=${limit}`), 400, 'VALIDATION_FAILED');
    expect(ok(await list('limit=200')).items).toHaveLength(5);
  });
});
