import { expect, it } from 'vitest';
import { hashToken } from '../../src/credentials/token-format.js';
import { createTeam, expectError } from '../helpers/factories.js';
import { describeEachDialect, type TestApp } from '../helpers/harness.js';
import { registerAgent } from './helpers.js';

const me = (t: TestApp, token: string) => t.request('GET', '/api/v1/me', { token });

describeEachDialect('agents: their tokens', (app) => {
  it('shows the token once, stores only its hash, and the agent knows who it is', async () => {
    const { workspace, members } = await createTeam(app());
    const res = await app().request('POST', `/api/v1/workspaces/${workspace.id}/agents`, {
      token: members.owner.token,
      body: { name: 'Triage' },
    });
    const { token, agent } = res.body;
    expect(token).toMatch(/^tga_[0-9A-Za-z]{38}$/);
    expect(agent.token).toEqual({
      prefix: token.slice(0, 10),
      issuedAt: expect.any(String),
      expiresAt: expect.any(String),
      lastUsedAt: null,
    });
    const rows = await app().ctx.db.selectFrom('agent_tokens').selectAll().where('agent_id', '=', agent.id).execute();
    expect(rows.map((r) => r.token_hash)).toEqual([hashToken(token)]);
    expect(JSON.stringify(rows)).not.toContain(token);

    const whoami = await me(app(), token);
    expect(whoami.body).toMatchObject({ id: null, name: 'Triage', token: { kind: 'agent', agentId: agent.id, workspaceId: workspace.id } });
    expect([...whoami.body.token.permissions].sort()).toEqual([
      'agents:read',
      'labels:read',
      'projects:read',
      'spaces:read',
      'tasks:read',
      'tasks:write',
    ]);

    const list = await app().request('GET', `/api/v1/workspaces/${workspace.id}/agents`, { token: members.viewer.token });
    expect(list.text).not.toContain(token);
    expect(list.text).not.toContain(hashToken(token));
    expect(list.body.items[0].token.lastUsedAt).toEqual(expect.any(String));
  });

  it('reissue without grace: the old token is refused at once (401 TOKEN_REVOKED), the new one works', async () => {
    const { workspace, members } = await createTeam(app());
    const agent = await registerAgent(app(), members.owner.token, workspace);
    const res = await app().request('POST', `/api/v1/agents/${agent.id}/token`, { token: members.administrator.token });
    expect(res.status).toBe(201);
    expect(res.body.token).not.toBe(agent.token);
    expect(res.body.previousTokenRevokedAt).toEqual(expect.any(String));
    expect(res.body.agent.token.prefix).toBe(res.body.token.slice(0, 10));
    expectError(await me(app(), agent.token), 401, 'TOKEN_REVOKED');
    expect((await me(app(), res.body.token)).status).toBe(200);

    const audit = await app()
      .ctx.db.selectFrom('audit_log')
      .select(['action', 'actor_type', 'actor_id'])
      .where('workspace_id', '=', workspace.id)
      .where('action', 'in', ['agent.token_issued', 'agent_token.use_refused'])
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { action: 'agent.token_issued', actor_type: 'user', actor_id: members.administrator.id },
      { action: 'agent_token.use_refused', actor_type: 'agent', actor_id: agent.id },
    ]);
  });

  it('reissue with a grace period: both tokens work until it ends, then only the new one', async () => {
    const { workspace, members } = await createTeam(app());
    const agent = await registerAgent(app(), members.owner.token, workspace);
    const res = await app().request('POST', `/api/v1/agents/${agent.id}/token`, { token: members.owner.token, body: { graceSeconds: 1 } });
    const graceEnd = Date.parse(res.body.previousTokenRevokedAt);
    expect(graceEnd).toBeGreaterThan(Date.now());
    expect((await me(app(), agent.token)).status).toBe(200);
    expect((await me(app(), res.body.token)).status).toBe(200);
    // The grace period ends: moved into the past on the row rather than waited out.
    await app()
      .ctx.db.updateTable('agent_tokens')
      .set({ revoked_at: new Date(Date.now() - 1000).toISOString() })
      .where('agent_id', '=', agent.id)
      .where('revoked_at', 'is not', null)
      .execute();
    expectError(await me(app(), agent.token), 401, 'TOKEN_REVOKED');
    expect((await me(app(), res.body.token)).status).toBe(200);
  });

  it('a reissue without grace also ends a token still inside an earlier grace period', async () => {
    const { workspace, members } = await createTeam(app());
    const first = await registerAgent(app(), members.owner.token, workspace);
    const second = await app().request('POST', `/api/v1/agents/${first.id}/token`, {
      token: members.owner.token,
      body: { graceSeconds: 3600 },
    });
    const third = await app().request('POST', `/api/v1/agents/${first.id}/token`, {
      token: members.owner.token,
      body: { graceSeconds: 0 },
    });
    expectError(await me(app(), first.token), 401, 'TOKEN_REVOKED');
    expectError(await me(app(), second.body.token), 401, 'TOKEN_REVOKED');
    expect((await me(app(), third.body.token)).status).toBe(200);
  });

  it('revoking without a new token: refused from the next request, until a new one is issued', async () => {
    const { workspace, members } = await createTeam(app());
    const agent = await registerAgent(app(), members.owner.token, workspace);
    expect((await app().request('DELETE', `/api/v1/agents/${agent.id}/token`, { token: members.owner.token })).status).toBe(204);
    expectError(await me(app(), agent.token), 401, 'TOKEN_REVOKED');
    const view = await app().request('GET', `/api/v1/agents/${agent.id}`, { token: members.viewer.token });
    expect(view.body.token).toBeNull();
    // Revoking again is harmless and records nothing new.
    expect((await app().request('DELETE', `/api/v1/agents/${agent.id}/token`, { token: members.owner.token })).status).toBe(204);
    const revokedEvents = await app()
      .ctx.db.selectFrom('events')
      .select('type')
      .where('resource_id', '=', agent.id)
      .where('type', '=', 'agent.token_revoked')
      .execute();
    expect(revokedEvents).toHaveLength(1);

    const reissued = await app().request('POST', `/api/v1/agents/${agent.id}/token`, { token: members.owner.token });
    expect(reissued.body.previousTokenRevokedAt).toBeNull();
    expect((await me(app(), reissued.body.token)).status).toBe(200);
  });
});
