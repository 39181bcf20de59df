import { expect, it } from 'vitest';
import { expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { ok, snapshotWorkspace, tenant, type Tenant } from './fixtures.js';

const NUL = '\u0000';

/** [method, path, body]: each carries a NUL somewhere PostgreSQL text cannot hold it. */
const REQUESTS: Array<(f: Tenant) => [string, string, unknown?]> = [
  () => ['GET', '/api/v1/tasks/%00'],
  (f) => ['GET', `/api/v1/tasks/${f.task.id}%00`],
  () => ['PATCH', '/api/v1/tasks/tsk_%00x', { title: 'x' }],
  () => ['GET', '/api/v1/projects/%00'],
  () => ['GET', '/api/v1/spaces/%00'],
  () => ['DELETE', '/api/v1/labels/%00'],
  () => ['GET', '/api/v1/workspaces/%00/labels'],
  (f) => ['DELETE', `/api/v1/tasks/${f.task.id}/labels/lbl%00`],
  (f) => ['DELETE', `/api/v1/tasks/${f.task.id}/assignees/usr%00`],
  (f) => ['GET', `/api/v1/tasks?projectId=${f.project.id}&q=a%00b`],
  (f) => ['GET', `/api/v1/tasks?projectId=${f.project.id}&assignee=%00`],
  (f) => ['GET', `/api/v1/tasks?workspaceId=${f.workspace.id}%00`],
  (f) => ['GET', `/api/v1/projects?workspaceId=${f.workspace.id}&spaceId=spc%00`],
  (f) => ['POST', '/api/v1/tasks', { projectId: f.project.id, title: `a${NUL}b` }],
  (f) => ['POST', '/api/v1/tasks', { projectId: f.project.id, title: 'x', description: NUL }],
  (f) => ['POST', '/api/v1/tasks', { projectId: `${f.project.id}${NUL}`, title: 'x' }],
  (f) => ['PATCH', `/api/v1/tasks/${f.task.id}`, { title: `${NUL}x` }],
  (f) => ['PATCH', `/api/v1/tasks/${f.task.id}`, { description: `ok${NUL}` }],
  (f) => ['PATCH', `/api/v1/tasks/${f.task.id}`, { projectId: NUL }],
  (f) => ['POST', `/api/v1/tasks/${f.task.id}/complete`, { resultNote: `done${NUL}` }],
  (f) => ['POST', `/api/v1/tasks/${f.task.id}/assignees`, { userId: `usr${NUL}` }],
  (f) => ['POST', `/api/v1/tasks/${f.task.id}/labels`, { labelId: `lbl${NUL}` }],
  (f) => ['POST', `/api/v1/workspaces/${f.workspace.id}/labels`, { name: `bug${NUL}` }],
  (f) => ['PATCH', `/api/v1/labels/${f.label.id}`, { name: NUL }],
  (f) => ['POST', `/api/v1/workspaces/${f.workspace.id}/spaces`, { name: `Ops${NUL}` }],
  (f) => ['PATCH', `/api/v1/spaces/${f.space.id}`, { description: NUL }],
  (f) => ['POST', '/api/v1/projects', { spaceId: f.space.id, name: `a${NUL}` }],
  (f) => ['PATCH', `/api/v1/projects/${f.project.id}`, { name: 'x', description: NUL }],
  (f) => ['PATCH', `/api/v1/projects/${f.project.id}`, { spaceId: `spc${NUL}` }],
  (f) => [
    'PUT',
    `/api/v1/workspaces/${f.workspace.id}/task-statuses`,
    {
      statuses: [
        { key: 'todo', name: 'To do' },
        { key: 'in_progress', name: `Doing${NUL}` },
        { key: 'done', name: 'Done' },
      ],
    },
  ],
];

describeEachDialect('task domain: NUL characters are refused with 400 on both dialects', (app) => {
  it('in path ids, query strings and free-text or id body fields, changing nothing', async () => {
    const f = await tenant(app());
    const before = await snapshotWorkspace(app(), f.workspace.id);
    for (const request of REQUESTS) {
      const [method, path, body] = request(f);
      const res = await app().request(method, path, { token: f.owner.token, body });
      expect(res.status, `${method} ${path} ${JSON.stringify(body)} → ${res.text}`).toBe(400);
      expectError(res, 400, 'VALIDATION_FAILED');
    }
    expect(await snapshotWorkspace(app(), f.workspace.id)).toEqual(before);
  });

  it('ordinary text with tabs, newlines and non-Latin letters is still accepted', async () => {
    const f = await tenant(app());
    const text = 'Ünïcode ✓\tand\nlines 日本';
    const task = ok(
      await app().request('PATCH', `/api/v1/tasks/${f.task.id}`, { token: f.owner.token, body: { title: text, description: text } }),
    );
    expect(task).toMatchObject({ title: text, description: text });
    expect(
      ok(await app().request('GET', `/api/v1/tasks?projectId=${f.project.id}&q=${encodeURIComponent('日本')}`, { token: f.owner.token }))
        .items,
    ).toHaveLength(1);
  });
});
