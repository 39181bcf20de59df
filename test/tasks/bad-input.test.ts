import { expect, it } from 'vitest';
import { expectError } from '../helpers/factories.js';
import { describeEachDialect, type TestApp } from '../helpers/harness.js';
import { ok, snapshotWorkspace, tenant, type Tenant } from './fixtures.js';

interface BodyRoute {
  method: string;
  path: (f: Tenant) => string;
  /** Bodies that must each be refused with 400 VALIDATION_FAILED. */
  invalid: (f: Tenant) => unknown[];
}

const LONG_ID = 'x'.repeat(65);

const BODY_ROUTES: BodyRoute[] = [
  {
    method: 'POST',
    path: (f) => `/api/v1/workspaces/${f.workspace.id}/spaces`,
    invalid: () => [{}, { name: 5 }, { name: '' }, { name: '   ' }, { name: 'x', description: 5 }, { name: 'x', extra: 1 }, [], 'space'],
  },
  {
    method: 'PATCH',
    path: (f) => `/api/v1/spaces/${f.space.id}`,
    invalid: () => [{}, { name: null }, { description: [] }, { name: 'x', workspaceId: 'w' }],
  },
  {
    method: 'POST',
    path: () => '/api/v1/projects',
    invalid: (f) => [
      {},
      { name: 'x' },
      { spaceId: 5, name: 'x' },
      { spaceId: f.space.id, name: true },
      { spaceId: f.space.id, name: 'x', archived: true },
      { spaceId: LONG_ID, name: 'x' },
    ],
  },
  {
    method: 'PATCH',
    path: (f) => `/api/v1/projects/${f.project.id}`,
    invalid: () => [{}, { archived: 'yes' }, { name: '' }, { spaceId: 7 }, { owner: 'me' }],
  },
  {
    method: 'POST',
    path: (f) => `/api/v1/workspaces/${f.workspace.id}/labels`,
    invalid: () => [
      {},
      { name: 7 },
      { name: 'x', color: 'red' },
      { name: 'x', color: '#12345' },
      { name: 'x'.repeat(61) },
      { name: 'x', extra: 1 },
    ],
  },
  {
    method: 'PATCH',
    path: (f) => `/api/v1/labels/${f.label.id}`,
    invalid: () => [{}, { name: '' }, { color: '#gggggg' }, { id: 'lbl_x' }],
  },
  {
    method: 'PUT',
    path: (f) => `/api/v1/workspaces/${f.workspace.id}/task-statuses`,
    invalid: () => [
      {},
      { statuses: 'todo,done' },
      { statuses: [{ key: 'in_progress', name: 'Doing' }] },
      {
        statuses: [
          { key: 'Bad Key', name: 'x' },
          { key: 'in_progress', name: 'Doing' },
          { key: 'done', name: 'Done' },
        ],
      },
      {
        statuses: [
          { key: 'todo', name: 'x', colour: 'red' },
          { key: 'in_progress', name: 'Doing' },
          { key: 'done', name: 'Done' },
        ],
      },
      {
        statuses: [
          { key: 'todo', name: 'To do' },
          { key: 'done', name: 'Done' },
        ],
      },
      {
        statuses: [
          { key: 'done', name: 'Done' },
          { key: 'in_progress', name: 'Doing' },
          { key: 'done', name: 'Again' },
        ],
      },
    ],
  },
  {
    method: 'POST',
    path: () => '/api/v1/tasks',
    invalid: (f) => [
      {},
      { title: 'no project' },
      { projectId: f.project.id },
      { projectId: f.project.id, title: '' },
      { projectId: f.project.id, title: 5 },
      { projectId: f.project.id, title: 'x', priority: 'extreme' },
      { projectId: f.project.id, title: 'x', dueAt: 'tomorrow' },
      { projectId: f.project.id, title: 'x', position: 'first' },
      { projectId: f.project.id, title: 'x', status: 5 },
      { projectId: f.project.id, title: 'x', status: 'Someday' },
      { projectId: f.project.id, title: 'x', status: 'someday' },
      { projectId: f.project.id, title: 'x', version: 3 },
      { projectId: f.project.id, title: 'x'.repeat(501) },
    ],
  },
  {
    method: 'PATCH',
    path: (f) => `/api/v1/tasks/${f.task.id}`,
    invalid: () => [
      {},
      { title: 5 },
      { title: '' },
      { dueAt: 'x' },
      { position: 'x' },
      { version: 3 },
      { status: null },
      { priority: 3 },
      { assignees: [] },
    ],
  },
  {
    method: 'POST',
    path: (f) => `/api/v1/tasks/${f.task.id}/assignees`,
    invalid: () => [
      {},
      { userId: 5 },
      { userId: '' },
      { agentId: 'agt_x', userId: 'usr_x' },
      { agentId: 7 },
      { userId: 'usr_x', role: 'x' },
    ],
  },
  {
    method: 'POST',
    path: (f) => `/api/v1/tasks/${f.task.id}/labels`,
    invalid: () => [{}, { labelId: 5 }, { labelId: LONG_ID }, { label: 'bug' }],
  },
  { method: 'POST', path: (f) => `/api/v1/tasks/${f.task.id}/claim`, invalid: () => [{ force: true }, [], 5] },
  {
    method: 'POST',
    path: (f) => `/api/v1/tasks/${f.task.id}/complete`,
    invalid: () => [{ resultNote: 5 }, { note: 'x' }, { resultNote: 'x'.repeat(20_001) }],
  },
];

/** Each list route with a query it accepts and queries it must refuse. */
const QUERY_ROUTES: Array<{ path: (f: Tenant) => string; valid: (f: Tenant) => string; invalid: string[] }> = [
  {
    path: (f) => `/api/v1/workspaces/${f.workspace.id}/spaces`,
    valid: () => 'limit=5',
    invalid: ['limit=0', 'limit=abc', 'foo=1', 'cursor=nonsense'],
  },
  {
    path: () => '/api/v1/projects',
    valid: (f) => `workspaceId=${f.workspace.id}`,
    invalid: ['', 'spaceId=spc_x', 'workspaceId=w&includeArchived=maybe', 'workspaceId=w&foo=1'],
  },
  { path: (f) => `/api/v1/workspaces/${f.workspace.id}/labels`, valid: () => 'limit=200', invalid: ['limit=201', 'sort=name'] },
  {
    path: () => '/api/v1/tasks',
    valid: (f) => `projectId=${f.project.id}`,
    invalid: ['', 'projectId=p&limit=-5', 'projectId=p&assignee=', `projectId=p&label=${LONG_ID}`],
  },
  { path: (f) => `/api/v1/workspaces/${f.workspace.id}/task-statuses`, valid: () => '', invalid: [] },
];

const ID_ROUTES: Array<[string, string]> = [
  ['GET', `/api/v1/spaces/${LONG_ID}`],
  ['DELETE', `/api/v1/spaces/${LONG_ID}`],
  ['GET', `/api/v1/projects/${LONG_ID}`],
  ['DELETE', `/api/v1/projects/${LONG_ID}`],
  ['GET', `/api/v1/labels/${LONG_ID}`],
  ['DELETE', `/api/v1/labels/${LONG_ID}`],
  ['GET', `/api/v1/tasks/${LONG_ID}`],
  ['DELETE', `/api/v1/tasks/${LONG_ID}`],
  ['DELETE', `/api/v1/tasks/tsk_x/assignees/${LONG_ID}`],
  ['DELETE', `/api/v1/tasks/tsk_x/labels/${LONG_ID}`],
  ['GET', `/api/v1/workspaces/${LONG_ID}/spaces`],
];

// Ids as placeholders, so that a test's name shows its route's pattern.
const ID_PLACEHOLDERS = {
  workspace: { id: '{id}' },
  space: { id: '{id}' },
  project: { id: '{id}' },
  label: { id: '{id}' },
  task: { id: '{id}' },
} as Tenant;

describeEachDialect('task domain: bad input is refused with a JSON 4xx and changes nothing', (app) => {
  for (const route of BODY_ROUTES) {
    it(`${route.method} ${route.path(ID_PLACEHOLDERS)}`, async () => {
      const f = await tenant(app());
      const path = route.path(f);
      const before = await snapshotWorkspace(app(), f.workspace.id);
      const send = (options: Parameters<TestApp['request']>[2]) => app().request(route.method, path, { token: f.owner.token, ...options });

      for (const body of route.invalid(f)) {
        const res = await send({ body });
        expectError(res, 400, 'VALIDATION_FAILED');
        expect(res.headers.get('content-type')).toMatch(/application\/json/);
      }
      expectError(await send({ rawBody: '{"name": ' }), 400, 'MALFORMED_JSON');
      expectError(
        await send({ rawBody: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
      expectError(await send({ rawBody: 'name=x', headers: { 'content-type': 'text/plain' } }), 400, 'VALIDATION_FAILED');
      expect(await snapshotWorkspace(app(), f.workspace.id)).toEqual(before);
    });
  }

  it('list routes refuse bad query strings', async () => {
    const f = await tenant(app());
    for (const route of QUERY_ROUTES) {
      for (const query of route.invalid)
        expectError(await app().request('GET', `${route.path(f)}?${query}`, { token: f.owner.token }), 400, 'VALIDATION_FAILED');
      ok(await app().request('GET', `${route.path(f)}?${route.valid(f)}`, { token: f.owner.token }));
    }
  });

  it('id routes refuse over-long ids with 400, and DELETEs refuse malformed JSON bodies, changing nothing', async () => {
    const f = await tenant(app());
    const before = await snapshotWorkspace(app(), f.workspace.id);
    for (const [method, path] of ID_ROUTES)
      expectError(await app().request(method, path, { token: f.owner.token }), 400, 'VALIDATION_FAILED');
    for (const path of [`/api/v1/tasks/${f.task.id}`, `/api/v1/labels/${f.label.id}`, `/api/v1/projects/${f.project.id}`]) {
      expectError(await app().request('DELETE', path, { token: f.owner.token, rawBody: '{oops' }), 400, 'MALFORMED_JSON');
    }
    expect(await snapshotWorkspace(app(), f.workspace.id)).toEqual(before);
  });
});
