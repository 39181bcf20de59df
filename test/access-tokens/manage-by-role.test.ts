import { expect, it } from 'vitest';
import type { Role } from '../../src/authz/roles.js';
import { createTeam, expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { accessTokenRow, accessTokensPath, createAccessToken } from './helpers.js';

// The permission table of issue 5, row by row: create/edit need tokens:write, disable/enable/delete tokens:manage.
const TABLE: Record<Role, { create: boolean; edit: boolean; manage: boolean }> = {
  owner: { create: true, edit: true, manage: true },
  administrator: { create: true, edit: true, manage: true },
  workspace_manager: { create: true, edit: true, manage: false },
  team_member: { create: false, edit: false, manage: false },
  viewer: { create: false, edit: false, manage: false },
};

describeEachDialect('workspace access tokens: who manages them', (app) => {
  for (const [role, may] of Object.entries(TABLE) as [Role, (typeof TABLE)[Role]][]) {
    const alsoMay = `${may.edit ? ', edit' : ''}${may.manage ? ', disable, enable, delete' : ''}`;
    it(`${role}: list ${may.create ? 'and create' : 'only'}${alsoMay}`, async () => {
      const { workspace, members } = await createTeam(app());
      const actor = members[role];
      const target = await createAccessToken(app(), members.owner, workspace, { scope: 'viewer', label: 'original' });
      const expectAllowed = (res: { status: number; body: any }, allowed: boolean, status: number) =>
        allowed ? expect(res.status, JSON.stringify(res.body)).toBe(status) : expectError(res, 403, 'PERMISSION_DENIED');

      const list = await app().request('GET', accessTokensPath(workspace), { token: actor.token });
      expect(list.status).toBe(200);
      expect(list.body.items.map((t: { id: string }) => t.id)).toContain(target.id);

      const created = await app().request('POST', accessTokensPath(workspace), {
        token: actor.token,
        body: { label: 'mine', scope: 'viewer' },
      });
      expectAllowed(created, may.create, 201);

      const renamed = await app().request('PATCH', accessTokensPath(workspace, target.id), {
        token: actor.token,
        body: { label: 'renamed' },
      });
      expectAllowed(renamed, may.edit, 200);
      expect((await accessTokenRow(app(), target.id))?.label).toBe(may.edit ? 'renamed' : 'original');

      const disabled = await app().request('PATCH', accessTokensPath(workspace, target.id), {
        token: actor.token,
        body: { enabled: false },
      });
      expectAllowed(disabled, may.manage, 200);
      expect((await accessTokenRow(app(), target.id))?.disabled_at !== null).toBe(may.manage);

      const enabled = await app().request('PATCH', accessTokensPath(workspace, target.id), { token: actor.token, body: { enabled: true } });
      expectAllowed(enabled, may.manage, 200);
      expect((await accessTokenRow(app(), target.id))?.disabled_at).toBeNull();

      const deleted = await app().request('DELETE', accessTokensPath(workspace, target.id), { token: actor.token });
      expectAllowed(deleted, may.manage, 204);
      expect(await accessTokenRow(app(), target.id)).toEqual(may.manage ? undefined : expect.objectContaining({ id: target.id }));
    });
  }

  it('an outsider gets 404 on every route and changes nothing', async () => {
    const { workspace, members, outsider } = await createTeam(app());
    const target = await createAccessToken(app(), members.owner, workspace, { scope: 'viewer' });
    expectError(await app().request('GET', accessTokensPath(workspace), { token: outsider.token }), 404, 'NOT_FOUND');
    expectError(
      await app().request('POST', accessTokensPath(workspace), { token: outsider.token, body: { label: 'x', scope: 'viewer' } }),
      404,
      'NOT_FOUND',
    );
    expectError(
      await app().request('PATCH', accessTokensPath(workspace, target.id), { token: outsider.token, body: { enabled: false } }),
      404,
      'NOT_FOUND',
    );
    expectError(await app().request('DELETE', accessTokensPath(workspace, target.id), { token: outsider.token }), 404, 'NOT_FOUND');
    expect(await accessTokenRow(app(), target.id)).toMatchObject({ disabled_at: null });
    const rows = await app().ctx.db.selectFrom('workspace_access_tokens').select('id').where('workspace_id', '=', workspace.id).execute();
    expect(rows).toHaveLength(1);
  });

  it('a token of another workspace is 404 here, even when the caller can manage tokens elsewhere', async () => {
    const first = await createTeam(app());
    const second = await createTeam(app());
    const theirs = await createAccessToken(app(), second.members.owner, second.workspace, { scope: 'viewer' });
    const res = await app().request('PATCH', accessTokensPath(first.workspace, theirs.id), {
      token: first.members.owner.token,
      body: { enabled: false },
    });
    expectError(res, 404, 'NOT_FOUND');
    expect(await accessTokenRow(app(), theirs.id)).toMatchObject({ disabled_at: null });
  });
});
