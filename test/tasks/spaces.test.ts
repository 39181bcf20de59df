import { expect, it } from 'vitest';
import { createUser, createWorkspace, expectError } from '../helpers/factories.js';
import { describeEachDialect, type TestApp } from '../helpers/harness.js';
import { createProject, createSpace, ok, ownProject } from './fixtures.js';

async function eventTypes(t: TestApp, workspaceId: string, token: string): Promise<string[]> {
  const res = ok(await t.request('GET', `/api/v1/workspaces/${workspaceId}/events?limit=200`, { token }));
  return res.items.map((e: { type: string }) => e.type).reverse();
}

describeEachDialect('spaces', (app) => {
  it('creates, reads, renames and deletes a space, recording space.* events with snapshots', async () => {
    const owner = await createUser(app());
    const workspace = await createWorkspace(app(), owner);
    const space = await createSpace(app(), owner, workspace.id, '  Design  ');
    expect(space).toMatchObject({ workspaceId: workspace.id, name: 'Design', description: '', createdBy: { type: 'user', id: owner.id } });

    expect(ok(await app().request('GET', `/api/v1/spaces/${space.id}`, { token: owner.token }))).toEqual(space);
    const renamed = ok(
      await app().request('PATCH', `/api/v1/spaces/${space.id}`, {
        token: owner.token,
        body: { name: 'Product', description: 'All things product' },
      }),
    );
    expect(renamed).toMatchObject({ id: space.id, name: 'Product', description: 'All things product' });

    expect((await app().request('DELETE', `/api/v1/spaces/${space.id}`, { token: owner.token })).status).toBe(204);
    expectError(await app().request('GET', `/api/v1/spaces/${space.id}`, { token: owner.token }), 404, 'NOT_FOUND');

    expect(await eventTypes(app(), workspace.id, owner.token)).toEqual([
      'workspace.created',
      'space.created',
      'space.updated',
      'space.deleted',
    ]);
    const events = ok(await app().request('GET', `/api/v1/workspaces/${workspace.id}/events?type=space.updated`, { token: owner.token }));
    expect(events.items[0]).toMatchObject({
      resourceType: 'space',
      resourceId: space.id,
      projectId: null,
      actor: { type: 'user', id: owner.id },
      data: { name: 'Product' },
    });
  });

  it('lists spaces by name with a cursor', async () => {
    const owner = await createUser(app());
    const workspace = await createWorkspace(app(), owner);
    for (const name of ['Charlie', 'Alpha', 'Echo', 'Bravo', 'Delta']) await createSpace(app(), owner, workspace.id, name);
    const first = ok(await app().request('GET', `/api/v1/workspaces/${workspace.id}/spaces?limit=2`, { token: owner.token }));
    expect(first.items.map((s: { name: string }) => s.name)).toEqual(['Alpha', 'Bravo']);
    const names: string[] = first.items.map((s: { name: string }) => s.name);
    let cursor: string | null = first.nextCursor;
    while (cursor) {
      const page = ok(
        await app().request('GET', `/api/v1/workspaces/${workspace.id}/spaces?limit=2&cursor=${cursor}`, { token: owner.token }),
      );
      names.push(...page.items.map((s: { name: string }) => s.name));
      cursor = page.nextCursor;
    }
    expect(names).toEqual(['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo']);
  });

  it('refuses to delete a space that still has projects, and keeps it', async () => {
    const { owner, space, workspace } = await ownProject(app());
    expectError(await app().request('DELETE', `/api/v1/spaces/${space.id}`, { token: owner.token }), 409, 'CONFLICT');
    ok(await app().request('GET', `/api/v1/spaces/${space.id}`, { token: owner.token }));
    expect(await eventTypes(app(), workspace.id, owner.token)).not.toContain('space.deleted');
  });

  it('hides spaces of other workspaces: 404 for reads, writes and deletes alike', async () => {
    const { space } = await ownProject(app());
    const stranger = await createUser(app());
    await createWorkspace(app(), stranger);
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { name: 'Mine now' }],
      ['DELETE', undefined],
    ] as const) {
      const res = await app().request(method, `/api/v1/spaces/${space.id}`, { token: stranger.token, body });
      expectError(res, 404, 'NOT_FOUND');
      expect(res.body.error).toBe('Space not found');
    }
    expectError(await app().request('GET', '/api/v1/spaces/spc_doesnotexist', { token: stranger.token }), 404, 'NOT_FOUND');
  });

  it('lets a project move to another space of the same workspace only', async () => {
    const { owner, workspace, project } = await ownProject(app());
    const other = await createSpace(app(), owner, workspace.id, 'Other');
    const moved = ok(await app().request('PATCH', `/api/v1/projects/${project.id}`, { token: owner.token, body: { spaceId: other.id } }));
    expect(moved.spaceId).toBe(other.id);

    const foreign = await ownProject(app());
    expectError(
      await app().request('PATCH', `/api/v1/projects/${project.id}`, { token: owner.token, body: { spaceId: foreign.space.id } }),
      404,
      'NOT_FOUND',
    );
    expect(ok(await app().request('GET', `/api/v1/projects/${project.id}`, { token: owner.token })).spaceId).toBe(other.id);
    const inForeign = await app().request('POST', '/api/v1/projects', {
      token: owner.token,
      body: { spaceId: foreign.space.id, name: 'Sneaky' },
    });
    expectError(inForeign, 404, 'NOT_FOUND');
    await createProject(app(), owner, other.id, 'Fine');
  });
});
