import { expect, it } from 'vitest';
import { createTeam, expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { createProjectWithTasks } from '../agents/task-fixtures.js';
import { createToken } from '../tokens/helpers.js';

describeEachDialect('leaving a workspace', (app) => {
  it('refuses a personal token limited to tasks:read in one project: it cannot take its owner out', async () => {
    const { workspace, members } = await createTeam(app(), { plan: 'pro' });
    const owner = members.administrator;
    const { projectId } = await createProjectWithTasks(app(), members.owner, workspace, 0);
    const narrow = await createToken(app(), owner, { permissions: ['tasks:read'], projectIds: [projectId] });
    const unscopedReader = await createToken(app(), owner, { permissions: ['tasks:read'] });
    const path = `/api/v1/workspaces/${workspace.id}/members/${owner.id}`;
    expectError(await app().request('DELETE', path, { token: narrow.token }), 403, 'PROJECT_OUT_OF_SCOPE');
    expectError(await app().request('DELETE', path, { token: unscopedReader.token }), 403, 'PERMISSION_DENIED');
    expect((await app().request('GET', `/api/v1/workspaces/${workspace.id}`, { token: owner.token })).body.role).toBe('administrator');
  });

  it('lets a token that could remove members anyway take its owner out, and any member leave from a session', async () => {
    const { workspace, members } = await createTeam(app(), { plan: 'pro' });
    const full = await createToken(app(), members.administrator);
    expect(
      (await app().request('DELETE', `/api/v1/workspaces/${workspace.id}/members/${members.administrator.id}`, { token: full.token }))
        .status,
    ).toBe(204);
    // A viewer's token never holds members:write: a viewer leaves from a session.
    const viewers = await createToken(app(), members.viewer);
    const viewerPath = `/api/v1/workspaces/${workspace.id}/members/${members.viewer.id}`;
    expectError(await app().request('DELETE', viewerPath, { token: viewers.token }), 403, 'PERMISSION_DENIED');
    expect((await app().request('DELETE', viewerPath, { token: members.viewer.token })).status).toBe(204);
  });
});
