import { expect, it } from 'vitest';
import { expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { createLabel, createProject, createSpace, createTask, ok, ownProject } from './fixtures.js';

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const ID = 'tsk_01jaaaaaaaaaaaaaaaaaaaaaaa';

/** Per task sort: cursors that decode and name the sort, but carry a value of the wrong kind for its column. */
const BAD_TASK_CURSORS: Array<[string, unknown[]]> = [
  [
    'position',
    [
      { s: 'position', v: 'abc', id: ID },
      { s: 'position', v: null, id: ID },
      { s: 'position', v: 1, id: 'x\u0000' },
      { s: 'position', v: 1, id: 5 },
    ],
  ],
  [
    '-priority',
    [
      { s: '-priority', v: 'abc', id: ID },
      { s: '-priority', v: 1.5, id: ID },
      { s: '-priority', v: 1e20, id: ID },
      { s: '-priority', v: '1', id: ID },
    ],
  ],
  [
    'createdAt',
    [
      { s: 'createdAt', v: 7, id: ID },
      { s: 'createdAt', v: null, id: ID },
      { s: 'createdAt', v: 'yesterday', id: ID },
    ],
  ],
  [
    '-dueAt',
    [
      { s: '-dueAt', v: 7, id: ID },
      { s: '-dueAt', v: '2030-01-01T00:00:00.000Z\u0000', id: ID },
    ],
  ],
];

describeEachDialect('lists: tampered cursors answer 400, never 500', (app) => {
  it('task cursors must carry a value of the sort key’s kind and a plain id', async () => {
    const { owner, project } = await ownProject(app());
    await createTask(app(), owner, project.id, { dueAt: '2030-01-01T00:00:00Z' });
    await createTask(app(), owner, project.id);
    for (const [sort, cursors] of BAD_TASK_CURSORS) {
      for (const cursor of cursors) {
        const res = await app().request('GET', `/api/v1/tasks?projectId=${project.id}&sort=${sort}&cursor=${cursorOf(cursor)}`, {
          token: owner.token,
        });
        expectError(res, 400, 'VALIDATION_FAILED');
        expect(res.body.fields).toEqual([{ field: 'cursor', message: 'is invalid' }]);
      }
    }
    const page = ok(await app().request('GET', `/api/v1/tasks?projectId=${project.id}&sort=-dueAt&limit=1`, { token: owner.token }));
    expect(
      ok(
        await app().request('GET', `/api/v1/tasks?projectId=${project.id}&sort=-dueAt&limit=1&cursor=${page.nextCursor}`, {
          token: owner.token,
        }),
      ).items,
    ).toHaveLength(1);
  });

  it('space, project and label cursors must carry a text name without NUL', async () => {
    const { owner, workspace, space } = await ownProject(app());
    await createSpace(app(), owner, workspace.id, 'Second');
    await createProject(app(), owner, space.id, 'Second');
    await createLabel(app(), owner, workspace.id);
    const lists = [
      `/api/v1/workspaces/${workspace.id}/spaces?`,
      `/api/v1/projects?workspaceId=${workspace.id}&`,
      `/api/v1/workspaces/${workspace.id}/labels?`,
    ];
    for (const list of lists) {
      for (const cursor of [
        { s: 'name', v: 5, id: ID },
        { s: 'name', v: null, id: ID },
        { s: 'name', v: 'a\u0000', id: ID },
        { s: 'name', v: 'a', id: 'b\u0000' },
      ]) {
        expectError(await app().request('GET', `${list}cursor=${cursorOf(cursor)}`, { token: owner.token }), 400, 'VALIDATION_FAILED');
      }
      ok(await app().request('GET', `${list}cursor=${cursorOf({ s: 'name', v: 'M', id: ID })}`, { token: owner.token }));
    }
  });

  it('event cursors must carry a safe non-negative integer seq', async () => {
    const { owner, workspace } = await ownProject(app());
    for (const seq of [1.5, 1e20, -1, '1', null]) {
      expectError(
        await app().request('GET', `/api/v1/workspaces/${workspace.id}/events?cursor=${cursorOf({ seq })}`, { token: owner.token }),
        400,
        'VALIDATION_FAILED',
      );
    }
    const page = ok(await app().request('GET', `/api/v1/workspaces/${workspace.id}/events?limit=1`, { token: owner.token }));
    expect(page.nextCursor).toEqual(expect.any(String));
    ok(await app().request('GET', `/api/v1/workspaces/${workspace.id}/events?cursor=${page.nextCursor}`, { token: owner.token }));
  });
});
