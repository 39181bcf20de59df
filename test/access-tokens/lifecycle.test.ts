import { expect, it } from 'vitest';
import { hashToken } from '../../src/credentials/token-format.js';
import { createTeam, expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { accessTokenRow, accessTokensPath, createAccessToken } from './helpers.js';

const inHours = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

describeEachDialect('workspace access tokens: lifecycle', (app) => {
  it('shows the token once, stores only its SHA-256 and the masked prefix, and never lists a secret', async () => {
    const { workspace, members } = await createTeam(app());
    const created = await createAccessToken(app(), members.owner, workspace, { scope: 'team_member', label: 'CI' });
    expect(created.token).toMatch(/^tgw_[0-9A-Za-z]{38}$/);
    expect(created).toMatchObject({
      label: 'CI',
      scope: 'team_member',
      prefix: created.token.slice(0, 10),
      status: 'active',
      disabledReason: null,
      createdBy: members.owner.id,
    });
    // Every token expires: by default at the latest the instance allows (TASKGATE_WORKSPACE_TOKEN_MAX_LIFETIME, 365 days).
    expect(Date.parse(created.expiresAt as string)).toBeGreaterThan(Date.now() + 364 * 86_400_000);

    const row = await accessTokenRow(app(), created.id);
    expect(row?.token_hash).toBe(hashToken(created.token));
    expect(JSON.stringify(row)).not.toContain(created.token);

    const list = await app().request('GET', accessTokensPath(workspace), { token: members.viewer.token });
    expect(list.body.items).toHaveLength(1);
    expect(list.text).not.toContain(created.token);
    expect(list.text).not.toContain(hashToken(created.token));
    expect(Object.keys(list.body.items[0]).sort()).toEqual([
      'allowedIps',
      'createdAt',
      'createdBy',
      'delegations',
      'disabledReason',
      'expiresAt',
      'expiresInDays',
      'id',
      'label',
      'lastUsedAt',
      'prefix',
      'rateLimitPerMinute',
      'revokedAt',
      'revokedReason',
      'scope',
      'stale',
      'status',
      'updatedAt',
      'workspaceId',
    ]);
    const events = await app().request('GET', `/api/v1/workspaces/${workspace.id}/events?type=access_token.created`, {
      token: members.owner.token,
    });
    expect(events.body.items).toHaveLength(1);
    expect(events.text).not.toContain(created.token);
  });

  it('a disabled token gets 401 TOKEN_DISABLED on its next request and works again once re-enabled', async () => {
    const { workspace, members } = await createTeam(app());
    const key = await createAccessToken(app(), members.owner, workspace, { scope: 'viewer' });
    const read = () => app().request('GET', `/api/v1/workspaces/${workspace.id}`, { token: key.token });
    expect((await read()).status).toBe(200);

    const off = await app().request('PATCH', accessTokensPath(workspace, key.id), {
      token: members.administrator.token,
      body: { enabled: false },
    });
    expect(off.body.status).toBe('disabled');
    const refused = await read();
    expectError(refused, 401, 'TOKEN_DISABLED');
    expect(refused.headers.get('www-authenticate')).toContain('invalid_token');

    const on = await app().request('PATCH', accessTokensPath(workspace, key.id), {
      token: members.administrator.token,
      body: { enabled: true },
    });
    expect(on.body.status).toBe('active');
    expect((await read()).status).toBe(200);

    const audit = await app()
      .ctx.db.selectFrom('audit_log')
      .select(['action', 'user_id', 'workspace_id'])
      .where('target_id', '=', key.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'access_token.created',
      'access_token.disabled',
      'access_token.use_refused',
      'access_token.enabled',
    ]);
    expect(audit[1]).toMatchObject({ user_id: members.administrator.id, workspace_id: workspace.id });
  });

  it('expires: refused with 401 TOKEN_EXPIRED and listed as expired once its time has passed', async () => {
    const { workspace, members } = await createTeam(app());
    const key = await createAccessToken(app(), members.owner, workspace, { scope: 'viewer', expiresAt: inHours(1) });
    expect(key.expiresAt).toBe(new Date(key.expiresAt as string).toISOString());
    expect((await app().request('GET', `/api/v1/workspaces/${workspace.id}`, { token: key.token })).status).toBe(200);

    // Move the expiry into the past instead of waiting an hour.
    await app()
      .ctx.db.updateTable('workspace_access_tokens')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', key.id)
      .execute();
    expectError(await app().request('GET', `/api/v1/workspaces/${workspace.id}`, { token: key.token }), 401, 'TOKEN_EXPIRED');
    const list = await app().request('GET', accessTokensPath(workspace), { token: members.owner.token });
    expect(list.body.items[0].status).toBe('expired');

    // Extending the expiry (null: as late as the lifetime allows) brings it back.
    const extended = await app().request('PATCH', accessTokensPath(workspace, key.id), {
      token: members.owner.token,
      body: { expiresAt: null },
    });
    expect(extended.body).toMatchObject({ status: 'active', expiresAt: expect.any(String) });
    expect((await app().request('GET', `/api/v1/workspaces/${workspace.id}`, { token: key.token })).status).toBe(200);
  });

  it('refuses an expiry in the past or beyond the maximum lifetime, creating nothing', async () => {
    const { workspace, members } = await createTeam(app());
    for (const expiresAt of [new Date(Date.now() - 60_000).toISOString(), inHours(24 * 366)]) {
      const res = await app().request('POST', accessTokensPath(workspace), {
        token: members.owner.token,
        body: { label: 'x', scope: 'viewer', expiresAt },
      });
      expectError(res, 400, 'INVALID_EXPIRY');
    }
    const rows = await app().ctx.db.selectFrom('workspace_access_tokens').select('id').where('workspace_id', '=', workspace.id).execute();
    expect(rows).toHaveLength(0);
  });

  it('a deleted token is unknown from its next request', async () => {
    const { workspace, members } = await createTeam(app());
    const key = await createAccessToken(app(), members.owner, workspace, { scope: 'viewer' });
    expect((await app().request('DELETE', accessTokensPath(workspace, key.id), { token: members.owner.token })).status).toBe(204);
    expectError(await app().request('GET', `/api/v1/workspaces/${workspace.id}`, { token: key.token }), 401, 'INVALID_TOKEN');
    expectError(await app().request('DELETE', accessTokensPath(workspace, key.id), { token: members.owner.token }), 404, 'NOT_FOUND');
    const types = await app().ctx.db.selectFrom('events').select('type').where('resource_id', '=', key.id).orderBy('seq').execute();
    expect(types.map((e) => e.type)).toEqual(['access_token.created', 'access_token.deleted']);
  });

  it('keeps last use in memory, shows it in the list at once, and writes it when flushed', async () => {
    const { workspace, members } = await createTeam(app());
    const key = await createAccessToken(app(), members.owner, workspace, { scope: 'viewer' });
    await app().request('GET', `/api/v1/workspaces/${workspace.id}`, { token: key.token });
    expect((await accessTokenRow(app(), key.id))?.last_used_at).toBeNull();
    const list = await app().request('GET', accessTokensPath(workspace), { token: members.owner.token });
    expect(list.body.items[0].lastUsedAt).toEqual(expect.any(String));
    await app().ctx.usage.flush();
    expect(await accessTokenRow(app(), key.id)).toMatchObject({ last_used_at: list.body.items[0].lastUsedAt, last_used_ip: '127.0.0.1' });
  });

  it("enforces the token's own rate limit and refuses one above the instance's", async () => {
    const { workspace, members } = await createTeam(app());
    const key = await createAccessToken(app(), members.owner, workspace, { scope: 'viewer', rateLimitPerMinute: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await app().request('GET', `/api/v1/workspaces/${workspace.id}`, { token: key.token })).status);
    expect(statuses).toEqual([200, 200, 429]);
    const tooHigh = await app().request('POST', accessTokensPath(workspace), {
      token: members.owner.token,
      body: { label: 'x', scope: 'viewer', rateLimitPerMinute: 1_000_000 },
    });
    expectError(tooHigh, 400, 'VALIDATION_FAILED');
  });
});
