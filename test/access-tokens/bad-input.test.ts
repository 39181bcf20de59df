import { expect, it } from 'vitest';
import { createTeam, expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { accessTokenRow, accessTokensPath, createAccessToken } from './helpers.js';

describeEachDialect('workspace access tokens: bad input', (app) => {
  it('refuses bad creation bodies with 400 and creates nothing', async () => {
    const { workspace, members } = await createTeam(app());
    const bodies = [
      {},
      { scope: 'viewer' },
      { label: '', scope: 'viewer' },
      { label: '   ', scope: 'viewer' },
      { label: 'x'.repeat(101), scope: 'viewer' },
      { label: 'x', scope: 'superuser' },
      { label: 'x', scope: 'viewer', expiresAt: 'tomorrow' },
      { label: 'x', scope: 'viewer', rateLimitPerMinute: 0 },
      { label: 'x', scope: 'viewer', rateLimitPerMinute: 'many' },
      { label: 'x', scope: 'viewer', permissions: ['tasks:read'] },
      { label: 12, scope: 'viewer' },
    ];
    for (const body of bodies) {
      const res = await app().request('POST', accessTokensPath(workspace), { token: members.owner.token, body });
      expectError(res, 400, 'VALIDATION_FAILED');
    }
    expectError(
      await app().request('POST', accessTokensPath(workspace), { token: members.owner.token, rawBody: '{"label":' }),
      400,
      'MALFORMED_JSON',
    );
    const rows = await app().ctx.db.selectFrom('workspace_access_tokens').select('id').where('workspace_id', '=', workspace.id).execute();
    expect(rows).toHaveLength(0);
  });

  it('refuses bad edits with 400 and changes nothing', async () => {
    const { workspace, members } = await createTeam(app());
    const key = await createAccessToken(app(), members.owner, workspace, { scope: 'viewer', label: 'kept' });
    const bodies = [{}, { label: '' }, { scope: 'root' }, { enabled: 'no' }, { token: 'tgw_x' }, { expiresAt: 'soon' }];
    for (const body of bodies) {
      expectError(
        await app().request('PATCH', accessTokensPath(workspace, key.id), { token: members.owner.token, body }),
        400,
        'VALIDATION_FAILED',
      );
    }
    expectError(
      await app().request('PATCH', accessTokensPath(workspace, key.id), {
        token: members.owner.token,
        body: { expiresAt: new Date(0).toISOString() },
      }),
      400,
      'INVALID_EXPIRY',
    );
    const row = await accessTokenRow(app(), key.id);
    expect(row).toMatchObject({
      label: 'kept',
      scope: 'viewer',
      expires_at: key.expiresAt,
      disabled_at: null,
      updated_at: row?.created_at,
    });
  });

  it('answers 404 for unknown tokens and workspaces, and 400 for a bad cursor', async () => {
    const { workspace, members } = await createTeam(app());
    expectError(
      await app().request('PATCH', accessTokensPath(workspace, 'wat_nope'), { token: members.owner.token, body: { label: 'x' } }),
      404,
      'NOT_FOUND',
    );
    expectError(await app().request('DELETE', accessTokensPath(workspace, 'wat_nope'), { token: members.owner.token }), 404, 'NOT_FOUND');
    expectError(await app().request('GET', '/api/v1/workspaces/wsp_nope/access-tokens', { token: members.owner.token }), 404, 'NOT_FOUND');
    expectError(
      await app().request('GET', `${accessTokensPath(workspace)}?cursor=garbage`, { token: members.owner.token }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await app().request('GET', `${accessTokensPath(workspace)}?limit=0`, { token: members.owner.token }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('pages through the list newest first without gaps or repeats', async () => {
    const { workspace, members } = await createTeam(app());
    const ids = [];
    for (let i = 0; i < 5; i++)
      ids.push((await createAccessToken(app(), members.owner, workspace, { scope: 'viewer', label: `k${i}` })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = await app().request('GET', `${accessTokensPath(workspace)}?limit=2${query}`, { token: members.owner.token });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((t: { id: string }) => t.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].sort().reverse());
  });
});
