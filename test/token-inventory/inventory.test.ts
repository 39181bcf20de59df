import { expect, it } from 'vitest';
import { hashToken } from '../../src/credentials/token-format.js';
import { addMember, createAdmin, createUser, expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { idsOf, inventoryFixture, inventoryPath, listInventory, revokePath } from './helpers.js';

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

describeEachDialect('token inventory: who sees what', (app) => {
  it("shows an owner every token that reaches the workspace, members' personal tokens included, masked", async () => {
    const f = await inventoryFixture(app());
    const res = await app().request('GET', inventoryPath(f.workspace), { token: f.owner.token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const items = res.body.items as Array<Record<string, any>>;
    expect(idsOf(items as never)).toEqual([f.adminToken.id, f.memberHere.id, f.workspaceKey.id, f.agent.tokenId].sort());
    expect(res.body.nextCursor).toBeNull();

    const byId = new Map(items.map((item) => [item.id as string, item]));
    expect(byId.get(f.adminToken.id)).toMatchObject({
      kind: 'personal',
      name: 'admin laptop',
      maskedToken: `${f.adminToken.token.slice(0, 10)}…`,
      owner: { id: f.administrator.id, name: 'Ada Admin', email: f.administrator.email },
      createdBy: { id: f.administrator.id },
      status: 'active',
      projectIds: null,
      revokedAt: null,
      stale: false,
    });
    expect(byId.get(f.memberHere.id)).toMatchObject({ kind: 'personal', owner: { id: f.member.id }, projectIds: [f.project.id] });
    expect(byId.get(f.workspaceKey.id)).toMatchObject({
      kind: 'workspace',
      name: 'CI key',
      owner: null,
      createdBy: { id: f.owner.id, name: 'Olive Owner' },
      maskedToken: `${f.workspaceKey.token.slice(0, 10)}…`,
    });
    expect(byId.get(f.agent.tokenId)).toMatchObject({
      kind: 'agent',
      name: 'Deploy bot',
      owner: null,
      createdBy: { id: f.owner.id },
      maskedToken: `${f.agent.token.slice(0, 10)}…`,
    });
    expect(byId.get(f.adminToken.id)?.expiresInDays).toBeGreaterThan(0);
    expect(Object.keys(items[0] ?? {}).sort()).toEqual([
      'createdBy',
      'expiresAt',
      'expiresInDays',
      'id',
      'kind',
      'lastUsedAt',
      'maskedToken',
      'name',
      'owner',
      'projectIds',
      'revokedAt',
      'stale',
      'status',
    ]);
    for (const secret of [f.adminToken, f.memberHere, f.workspaceKey, { token: f.agent.token }]) {
      expect(res.text).not.toContain(secret.token);
      expect(res.text).not.toContain(hashToken(secret.token));
    }
    // Never a token limited to another workspace's projects, nor a non-member's.
    expect(res.text).not.toContain(f.memberElsewhere.id);
    expect(res.text).not.toContain(f.outsiderToken.id);
  });

  it('refuses members below owner (403 naming tokens:inventory), outsiders as a missing workspace, and API tokens', async () => {
    const f = await inventoryFixture(app());
    for (const member of [f.administrator, f.member]) {
      const refused = await app().request('GET', inventoryPath(f.workspace), { token: member.token });
      expectError(refused, 403, 'PERMISSION_DENIED');
      expect(refused.body).toMatchObject({ missingPermission: 'tokens:inventory', refusedBy: 'role' });
      const revoke = await app().request('POST', revokePath(f.workspace, 'workspace', f.workspaceKey.id), { token: member.token });
      expectError(revoke, 403, 'PERMISSION_DENIED');
    }
    const outsider = await app().request('GET', inventoryPath(f.workspace), { token: f.outsider.token });
    const missing = await app().request('GET', inventoryPath({ ...f.workspace, id: 'wsp_00000000000000000000000000' }), {
      token: f.outsider.token,
    });
    expectError(outsider, 404, 'NOT_FOUND');
    expect(outsider.body.error).toBe(missing.body.error);
    // The owner's own personal token (which could reach the workspace) never manages tokens.
    const ownerToken = (await app().request('POST', '/api/v1/tokens', { token: f.owner.token, body: { name: 'cli' } })).body.token;
    expectError(await app().request('GET', inventoryPath(f.workspace), { token: ownerToken }), 403, 'TOKEN_CANNOT_MANAGE_TOKENS');
    expectError(
      await app().request('POST', revokePath(f.workspace, 'personal', f.adminToken.id), { token: f.workspaceKey.token }),
      403,
      'TOKEN_CANNOT_MANAGE_TOKENS',
    );
    // Nothing was revoked by the refused attempts.
    expect((await app().request('GET', '/api/v1/me', { token: f.workspaceKey.token })).status).toBe(200);
  });

  it('shows an instance admin the inventory without being a member, and a missing workspace answers 404', async () => {
    const f = await inventoryFixture(app());
    const admin = await createAdmin(app());
    const items = await listInventory(app(), admin, f.workspace);
    expect(idsOf(items)).toEqual([f.adminToken.id, f.memberHere.id, f.workspaceKey.id, f.agent.tokenId].sort());
    const missing = await app().request('GET', inventoryPath({ ...f.workspace, id: 'wsp_00000000000000000000000000' }), {
      token: admin.token,
    });
    expectError(missing, 404, 'NOT_FOUND');
  });

  it('a member promoted to owner sees it; one who leaves takes their personal tokens out of it', async () => {
    const f = await inventoryFixture(app());
    const second = await createUser(app(), { name: 'Second Owner' });
    await addMember(app(), f.owner, f.workspace, second, 'owner');
    expect(idsOf(await listInventory(app(), second, f.workspace))).toContain(f.memberHere.id);
    const removed = await app().request('DELETE', `/api/v1/workspaces/${f.workspace.id}/members/${f.member.id}`, { token: f.owner.token });
    expect(removed.status, JSON.stringify(removed.body)).toBe(204);
    expect(idsOf(await listInventory(app(), second, f.workspace))).not.toContain(f.memberHere.id);
  });
});

describeEachDialect('token inventory: filters and pages', (app) => {
  it('filters by kind, creator, status, staleness and coming expiry', async () => {
    const f = await inventoryFixture(app());
    const list = (query: string) => listInventory(app(), f.owner, f.workspace, query).then(idsOf);
    expect(await list('kind=agent')).toEqual([f.agent.tokenId]);
    expect(await list('kind=workspace')).toEqual([f.workspaceKey.id]);
    expect(await list('kind=personal')).toEqual([f.adminToken.id, f.memberHere.id].sort());
    expect(await list(`createdBy=${f.administrator.id}`)).toEqual([f.adminToken.id]);
    expect(await list(`createdBy=${f.owner.id}`)).toEqual([f.workspaceKey.id, f.agent.tokenId].sort());
    expect(await list(`createdBy=${f.owner.id}&kind=agent`)).toEqual([f.agent.tokenId]);

    const db = app().ctx.db;
    // Time moved by editing rows: one token unused for 100 days, one expiring in 3, one expired, one disabled.
    await db
      .updateTable('personal_access_tokens')
      .set({ created_at: daysAgo(100) })
      .where('id', '=', f.adminToken.id)
      .execute();
    await db
      .updateTable('personal_access_tokens')
      .set({ expires_at: inDays(3) })
      .where('id', '=', f.memberHere.id)
      .execute();
    await db
      .updateTable('agent_tokens')
      .set({ expires_at: daysAgo(1) })
      .where('id', '=', f.agent.tokenId)
      .execute();
    await db
      .updateTable('workspace_access_tokens')
      .set({ disabled_at: daysAgo(0), disabled_reason: 'manual' })
      .execute();

    expect(await list('stale=true')).toEqual([f.adminToken.id]);
    expect(await list('expiring=true')).toEqual([f.memberHere.id]);
    expect(await list('status=expired')).toEqual([f.agent.tokenId]);
    expect(await list('status=disabled')).toEqual([f.workspaceKey.id]);
    expect(await list('status=active')).toEqual([f.adminToken.id, f.memberHere.id].sort());
    expect(await list('status=revoked')).toEqual([]);
    const [expiring] = await listInventory(app(), f.owner, f.workspace, 'expiring=true');
    expect(expiring).toMatchObject({ expiresInDays: 2, stale: false });
    const [stale] = await listInventory(app(), f.owner, f.workspace, 'stale=true');
    expect(stale?.stale).toBe(true);

    expectError(await app().request('GET', inventoryPath(f.workspace, 'status=gone'), { token: f.owner.token }), 400, 'VALIDATION_FAILED');
    expectError(await app().request('GET', inventoryPath(f.workspace, 'kind=session'), { token: f.owner.token }), 400, 'VALIDATION_FAILED');
    expect(await list('kind=delegated')).toEqual([]);
  });

  it('pages newest first with a cursor, never repeating or skipping a token', async () => {
    const f = await inventoryFixture(app());
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await app().request('GET', inventoryPath(f.workspace, query), { token: f.owner.token });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.items).toHaveLength(1);
      seen.push(res.body.items[0].id);
      cursor = res.body.nextCursor;
    } while (cursor !== null);
    // Created in this order: the admin's token, the member's, the workspace key, the agent's.
    expect(seen).toEqual([f.agent.tokenId, f.workspaceKey.id, f.memberHere.id, f.adminToken.id]);
    expectError(await app().request('GET', inventoryPath(f.workspace, 'cursor=bogus'), { token: f.owner.token }), 400, 'VALIDATION_FAILED');
  });
});

describeEachDialect('token inventory: revoking', (app) => {
  it("an owner revokes a member's personal token: refused 401 next time, audited in the member's log, the owner as actor", async () => {
    const f = await inventoryFixture(app());
    expect((await app().request('GET', '/api/v1/me', { token: f.adminToken.token })).status).toBe(200);
    const res = await app().request('POST', revokePath(f.workspace, 'personal', f.adminToken.id), { token: f.owner.token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ kind: 'personal', id: f.adminToken.id, status: 'revoked', stale: false });
    expect(typeof res.body.revokedAt).toBe('string');
    expectError(await app().request('GET', '/api/v1/me', { token: f.adminToken.token }), 401, 'TOKEN_REVOKED');

    const audit = await app().request('GET', '/api/v1/me/audit-log', { token: f.administrator.token });
    expect(audit.status, JSON.stringify(audit.body)).toBe(200);
    const entry = (audit.body.items as Array<Record<string, any>>).find((item) => item.action === 'token.revoked');
    expect(entry).toMatchObject({
      targetType: 'personal_token',
      targetId: f.adminToken.id,
      workspaceId: f.workspace.id,
      actor: { type: 'user', id: f.owner.id },
      details: { name: 'admin laptop' },
    });
    // The owner's own list shows it revoked too, and revoking again changes nothing.
    const own = await app().request('GET', '/api/v1/tokens?status=revoked', { token: f.administrator.token });
    expect(own.body.items.map((item: { id: string }) => item.id)).toEqual([f.adminToken.id]);
    const again = await app().request('POST', revokePath(f.workspace, 'personal', f.adminToken.id), { token: f.owner.token });
    expect(again.body).toMatchObject({ status: 'revoked', revokedAt: res.body.revokedAt });
    const revokedEntries = await app()
      .ctx.db.selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'token.revoked')
      .where('target_id', '=', f.adminToken.id)
      .execute();
    expect(revokedEntries).toHaveLength(1);
    expect(idsOf(await listInventory(app(), f.owner, f.workspace, 'status=revoked'))).toEqual([f.adminToken.id]);
  });

  it('an instance admin revokes a workspace token and an agent token: events and audit name the admin', async () => {
    const f = await inventoryFixture(app());
    const admin = await createAdmin(app());
    const key = await app().request('POST', revokePath(f.workspace, 'workspace', f.workspaceKey.id), { token: admin.token });
    expect(key.status, JSON.stringify(key.body)).toBe(200);
    expect(key.body).toMatchObject({ kind: 'workspace', status: 'revoked' });
    expectError(await app().request('GET', '/api/v1/me', { token: f.workspaceKey.token }), 401, 'TOKEN_REVOKED');

    const bot = await app().request('POST', revokePath(f.workspace, 'agent', f.agent.tokenId), { token: admin.token });
    expect(bot.status, JSON.stringify(bot.body)).toBe(200);
    expect(bot.body).toMatchObject({ kind: 'agent', id: f.agent.tokenId, status: 'revoked' });
    expectError(await app().request('GET', '/api/v1/me', { token: f.agent.token }), 401, 'TOKEN_REVOKED');

    const events = await app().request('GET', `/api/v1/workspaces/${f.workspace.id}/events?limit=100`, { token: f.owner.token });
    const types = (events.body.items as Array<Record<string, any>>).filter((e) =>
      ['access_token.revoked', 'agent.token_revoked'].includes(e.type),
    );
    expect(types.map((e) => [e.type, e.actor])).toEqual(
      expect.arrayContaining([
        ['access_token.revoked', { type: 'user', id: admin.id }],
        ['agent.token_revoked', { type: 'user', id: admin.id }],
      ]),
    );
    expect(types).toHaveLength(2);
    expect(events.text).not.toContain(f.workspaceKey.token);
    const audit = await app()
      .ctx.db.selectFrom('audit_log')
      .select(['action', 'actor_id', 'workspace_id', 'target_id'])
      .where('user_id', '=', admin.id)
      .where('action', 'in', ['access_token.revoked', 'agent.token_revoked'])
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { action: 'access_token.revoked', actor_id: admin.id, workspace_id: f.workspace.id, target_id: f.workspaceKey.id },
      { action: 'agent.token_revoked', actor_id: admin.id, workspace_id: f.workspace.id, target_id: f.agent.id },
    ]);
    // The agent itself is left registered, tokenless, as DELETE /agents/{id}/token leaves it.
    const agent = await app().request('GET', `/api/v1/agents/${f.agent.id}`, { token: f.owner.token });
    expect(agent.body).toMatchObject({ id: f.agent.id, token: null });
  });

  it('answers 404 for a token that does not reach the workspace, or under the wrong kind', async () => {
    const f = await inventoryFixture(app());
    const revoke = (kind: string, id: string) => app().request('POST', revokePath(f.workspace, kind, id), { token: f.owner.token });
    expectError(await revoke('personal', f.memberElsewhere.id), 404, 'NOT_FOUND');
    expectError(await revoke('personal', f.outsiderToken.id), 404, 'NOT_FOUND');
    expectError(await revoke('workspace', f.adminToken.id), 404, 'NOT_FOUND');
    expectError(await revoke('delegated', f.adminToken.id), 404, 'NOT_FOUND');
    expectError(await revoke('session', f.adminToken.id), 400, 'VALIDATION_FAILED');
    // A token of another workspace the owner does not own.
    const other = await app().request('POST', revokePath(f.elsewhereWorkspace, 'personal', f.memberElsewhere.id), {
      token: f.owner.token,
    });
    expectError(other, 404, 'NOT_FOUND');
    for (const token of [f.memberElsewhere.token, f.outsiderToken.token]) {
      expect((await app().request('GET', '/api/v1/me', { token })).status).toBe(200);
    }
  });
});

describeEachDialect('token inventory: delegated tokens', (app) => {
  it("lists tokens delegated from the workspace's tokens and members' tokens, and revokes one with its descendants", async () => {
    const f = await inventoryFixture(app());
    const delegate = async (token: string, name: string) => {
      const res = await app().request('POST', '/api/v1/me/delegate', { token, body: { name } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return { id: res.body.id as string, token: res.body.token as string };
    };
    const fromMember = await delegate(f.adminToken.token, 'sub-agent of the admin');
    const fromAgent = await delegate(f.agent.token, 'sub-agent of the bot');
    const grandchild = await delegate(fromAgent.token, 'sub-sub-agent');
    const fromElsewhere = await delegate(f.memberElsewhere.token, 'sub-agent elsewhere');

    const items = await listInventory(app(), f.owner, f.workspace, 'kind=delegated');
    expect(idsOf(items)).toEqual([fromMember.id, fromAgent.id, grandchild.id].sort());
    expect(items.find((item) => item.id === fromMember.id)).toMatchObject({
      kind: 'delegated',
      maskedToken: `${fromMember.token.slice(0, 10)}…`,
      owner: { id: f.administrator.id },
      status: 'active',
    });
    expect(JSON.stringify(items)).not.toContain(fromElsewhere.id);

    const admin = await createAdmin(app());
    const res = await app().request('POST', revokePath(f.workspace, 'delegated', fromAgent.id), { token: admin.token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ kind: 'delegated', id: fromAgent.id, status: 'revoked' });
    expectError(await app().request('GET', '/api/v1/me', { token: fromAgent.token }), 401, 'TOKEN_REVOKED');
    expect((await app().request('GET', '/api/v1/me', { token: grandchild.token })).status).toBe(401);
    // The parent (the agent's own token) and the member's delegation are untouched.
    expect((await app().request('GET', '/api/v1/me', { token: f.agent.token })).status).toBe(200);
    expect((await app().request('GET', '/api/v1/me', { token: fromMember.token })).status).toBe(200);
    const audit = await app()
      .ctx.db.selectFrom('audit_log')
      .select(['actor_id', 'workspace_id'])
      .where('action', '=', 'delegated_token.revoked')
      .where('target_id', '=', fromAgent.id)
      .execute();
    expect(audit).toEqual([{ actor_id: admin.id, workspace_id: f.workspace.id }]);
    expect(idsOf(await listInventory(app(), f.owner, f.workspace, 'kind=delegated&status=revoked'))).toEqual(
      [fromAgent.id, grandchild.id].sort(),
    );
  });
});
