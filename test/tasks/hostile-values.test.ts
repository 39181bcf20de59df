import { expect, it } from 'vitest';
import { expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { createTask, ok, ownProject, snapshotWorkspace } from './fixtures.js';

const LEAP_SECOND = '2016-12-31T23:59:60Z';

describeEachDialect('tasks: values that pass the schema but not the database', (app) => {
  it('a leap-second due date (valid date-time, not a representable instant) answers 400 naming the field', async () => {
    const { owner, project, workspace } = await ownProject(app());
    const task = await createTask(app(), owner, project.id);
    const before = await snapshotWorkspace(app(), workspace.id);

    const created = await app().request('POST', '/api/v1/tasks', {
      token: owner.token,
      body: { projectId: project.id, title: 'x', dueAt: LEAP_SECOND },
    });
    expectError(created, 400, 'VALIDATION_FAILED');
    expect(created.body.fields).toEqual([{ field: 'dueAt', message: expect.any(String) }]);
    const patched = await app().request('PATCH', `/api/v1/tasks/${task.id}`, { token: owner.token, body: { dueAt: LEAP_SECOND } });
    expectError(patched, 400, 'VALIDATION_FAILED');
    expect(patched.body.fields).toEqual([{ field: 'dueAt', message: expect.any(String) }]);
    for (const field of ['dueBefore', 'dueAfter']) {
      const listed = await app().request('GET', `/api/v1/tasks?projectId=${project.id}&${field}=${LEAP_SECOND}`, { token: owner.token });
      expectError(listed, 400, 'VALIDATION_FAILED');
      expect(listed.body.fields).toEqual([{ field, message: expect.any(String) }]);
    }
    expect(await snapshotWorkspace(app(), workspace.id)).toEqual(before);
  });

  it('If-Match: more than 9 digits answers 400; a well-formed stale version 412; the current one applies', async () => {
    const { owner, project } = await ownProject(app());
    const task = await createTask(app(), owner, project.id);
    const patch = (ifMatch: string) =>
      app().request('PATCH', `/api/v1/tasks/${task.id}`, { token: owner.token, headers: { 'if-match': ifMatch }, body: { title: 'y' } });
    for (const huge of ['9999999999', '"2147483648"', 'W/"999999999999999"']) expectError(await patch(huge), 400, 'VALIDATION_FAILED');
    expectError(await patch('"999999999"'), 412, 'PRECONDITION_FAILED');
    expect(ok(await patch(`"${task.version}"`))).toMatchObject({ title: 'y', version: task.version + 1 });
  });
});
