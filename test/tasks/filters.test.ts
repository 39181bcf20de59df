import { expect, it } from 'vitest';
import { expectError } from '../helpers/factories.js';
import { describeEachDialect, type TestApp } from '../helpers/harness.js';
import { createLabel, createProject, createTask, ok, ownProject } from './fixtures.js';

async function titles(t: TestApp, token: string, query: string): Promise<string[]> {
  const res = ok(await t.request('GET', `/api/v1/tasks?${query}`, { token }));
  return res.items.map((task: { title: string }) => task.title).sort();
}

describeEachDialect('tasks: filters', (app) => {
  async function fixture() {
    const f = await ownProject(app());
    const { owner, project } = f;
    const make = (title: string, fields: Record<string, unknown> = {}) => createTask(app(), owner, project.id, { title, ...fields });
    const tasks = {
      login: await make('Fix LOGIN bug', { status: 'in_progress', priority: 'high', dueAt: '2030-03-01T00:00:00Z' }),
      docs: await make('Write docs', { description: 'Explain the Login flow', dueAt: '2030-06-01T00:00:00Z' }),
      percent: await make('Show 100% progress', { status: 'blocked', priority: 'high' }),
      under: await make('rename snake_case fields', { status: 'done' }),
      plain: await make('Plain', { dueAt: '2030-01-01T00:00:00Z', priority: 'low' }),
    };
    return { ...f, tasks, base: `projectId=${project.id}` };
  }

  it('filters by one status or several', async () => {
    const { owner, base } = await fixture();
    expect(await titles(app(), owner.token, `${base}&status=todo`)).toEqual(['Plain', 'Write docs']);
    expect(await titles(app(), owner.token, `${base}&status=blocked,done`)).toEqual(['Show 100% progress', 'rename snake_case fields']);
    expect(await titles(app(), owner.token, `${base}&status=nothing_like_it`)).toEqual([]);
  });

  it('searches title and description case-insensitively, matching % and _ literally', async () => {
    const { owner, base } = await fixture();
    expect(await titles(app(), owner.token, `${base}&q=login`)).toEqual(['Fix LOGIN bug', 'Write docs']);
    expect(await titles(app(), owner.token, `${base}&q=${encodeURIComponent('100%')}`)).toEqual(['Show 100% progress']);
    expect(await titles(app(), owner.token, `${base}&q=${encodeURIComponent('%')}`)).toEqual(['Show 100% progress']);
    expect(await titles(app(), owner.token, `${base}&q=_`)).toEqual(['rename snake_case fields']);
    expect(await titles(app(), owner.token, `${base}&q=${encodeURIComponent('e_c')}`)).toEqual(['rename snake_case fields']);
    expect(await titles(app(), owner.token, `${base}&q=${encodeURIComponent('o%g')}`)).toEqual([]);
  });

  it('filters by due window (strict bounds; tasks without a due date never match) and by priority', async () => {
    const { owner, base } = await fixture();
    expect(await titles(app(), owner.token, `${base}&dueBefore=2030-03-01T00:00:00Z`)).toEqual(['Plain']);
    expect(await titles(app(), owner.token, `${base}&dueAfter=2030-01-01T00:00:00Z`)).toEqual(['Fix LOGIN bug', 'Write docs']);
    expect(await titles(app(), owner.token, `${base}&dueAfter=2029-12-31T23:00:00-02:00&dueBefore=2030-05-01T00:00:00Z`)).toEqual([
      'Fix LOGIN bug',
    ]);
    expect(await titles(app(), owner.token, `${base}&priority=high`)).toEqual(['Fix LOGIN bug', 'Show 100% progress']);
  });

  it('filters by label and by assignee, and combines filters', async () => {
    const { owner, base, tasks, workspace } = await fixture();
    const bug = await createLabel(app(), owner, workspace.id, 'bug');
    for (const task of [tasks.login, tasks.percent])
      ok(await app().request('POST', `/api/v1/tasks/${task.id}/labels`, { token: owner.token, body: { labelId: bug.id } }));
    ok(await app().request('POST', `/api/v1/tasks/${tasks.login.id}/assignees`, { token: owner.token, body: { userId: owner.id } }));
    ok(await app().request('POST', `/api/v1/tasks/${tasks.docs.id}/assignees`, { token: owner.token, body: { userId: owner.id } }));
    expect(await titles(app(), owner.token, `${base}&label=${bug.id}`)).toEqual(['Fix LOGIN bug', 'Show 100% progress']);
    expect(await titles(app(), owner.token, `${base}&assignee=${owner.id}`)).toEqual(['Fix LOGIN bug', 'Write docs']);
    expect(await titles(app(), owner.token, `${base}&assignee=me&label=${bug.id}&status=in_progress`)).toEqual(['Fix LOGIN bug']);
  });

  it('sorts by priority and due date, and lists a whole workspace across projects', async () => {
    const { owner, base, workspace, space } = await fixture();
    const sorted = ok(await app().request('GET', `/api/v1/tasks?${base}&sort=-priority`, { token: owner.token }));
    expect(sorted.items.map((t: { priority: string }) => t.priority)).toEqual(['high', 'high', 'low', 'none', 'none']);
    const byDue = ok(await app().request('GET', `/api/v1/tasks?${base}&sort=dueAt`, { token: owner.token }));
    expect(byDue.items.map((t: { title: string }) => t.title).slice(0, 3)).toEqual(['Plain', 'Fix LOGIN bug', 'Write docs']);
    expect(byDue.items.slice(3).every((t: { dueAt: string | null }) => t.dueAt === null)).toBe(true);

    const other = await createProject(app(), owner, space.id, 'Other');
    await createTask(app(), owner, other.id, { title: 'Elsewhere' });
    expect(await titles(app(), owner.token, `workspaceId=${workspace.id}&q=elsewhere`)).toEqual(['Elsewhere']);
    expect((await titles(app(), owner.token, `workspaceId=${workspace.id}`)).length).toBe(6);
  });

  it('needs exactly one of projectId and workspaceId, and validates every filter', async () => {
    const { owner, base, workspace } = await fixture();
    const list = (query: string) => app().request('GET', `/api/v1/tasks?${query}`, { token: owner.token });
    expectError(await list(''), 400, 'VALIDATION_FAILED');
    expectError(await list(`${base}&workspaceId=${workspace.id}`), 400, 'VALIDATION_FAILED');
    for (const bad of [
      'status=Not-A-Status',
      'priority=extreme',
      'dueBefore=tomorrow',
      'dueAfter=2030-13-01T00:00:00Z',
      'sort=title',
      'q=',
      'unknown=1',
      `q=${'x'.repeat(201)}`,
    ]) {
      expectError(await list(`${base}&${bad}`), 400, 'VALIDATION_FAILED');
    }
  });
});
