import { expect, it } from 'vitest';
import type { Role } from '../../src/authz/roles.js';
import type { Db } from '../../src/db/database.js';
import { createTeam, expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { createAccessToken } from '../access-tokens/helpers.js';
import { registerAgent } from './helpers.js';

const agentsPath = (workspaceId: string) => `/api/v1/workspaces/${workspaceId}/agents`;
const countAgents = async (db: Db, workspaceId: string) =>
  (await db.selectFrom('agents').select('id').where('workspace_id', '=', workspaceId).execute()).length;

describeEachDialect('agents: registering and managing', (app) => {
  const canRegister: Record<Role, boolean> = {
    owner: true,
    administrator: true,
    workspace_manager: false,
    team_member: false,
    viewer: false,
  };
  for (const [role, allowed] of Object.entries(canRegister) as [Role, boolean][]) {
    it(`${role}: ${allowed ? 'registers, renames and deletes agents' : 'lists and reads agents only'}`, async () => {
      const { workspace, members } = await createTeam(app());
      const existing = await registerAgent(app(), members.owner.token, workspace, 'Existing');
      const token = members[role].token;
      const expectAllowed = (res: { status: number; body: any }, status: number) =>
        allowed ? expect(res.status, JSON.stringify(res.body)).toBe(status) : expectError(res, 403, 'PERMISSION_DENIED');

      const list = await app().request('GET', agentsPath(workspace.id), { token });
      expect(list.body.items.map((a: { id: string }) => a.id)).toEqual([existing.id]);
      expect((await app().request('GET', `/api/v1/agents/${existing.id}`, { token })).body.name).toBe('Existing');

      expectAllowed(await app().request('POST', agentsPath(workspace.id), { token, body: { name: 'New' } }), 201);
      expect(await countAgents(app().ctx.db, workspace.id)).toBe(allowed ? 2 : 1);
      expectAllowed(await app().request('PATCH', `/api/v1/agents/${existing.id}`, { token, body: { name: 'Renamed' } }), 200);
      expectAllowed(await app().request('POST', `/api/v1/agents/${existing.id}/token`, { token }), 201);
      expectAllowed(await app().request('DELETE', `/api/v1/agents/${existing.id}/token`, { token }), 204);
      expectAllowed(await app().request('DELETE', `/api/v1/agents/${existing.id}`, { token }), 204);
      const row = await app().ctx.db.selectFrom('agents').select('name').where('id', '=', existing.id).executeTakeFirst();
      expect(row).toEqual(allowed ? undefined : { name: 'Existing' });
    });
  }

  it('the team API key (administrator or owner scope) registers agents; a lower-scoped token cannot', async () => {
    const { workspace, members } = await createTeam(app());
    for (const scope of ['administrator', 'owner'] as const) {
      const key = await createAccessToken(app(), members.owner, workspace, { scope });
      const res = await app().request('POST', agentsPath(workspace.id), {
        token: key.token,
        body: { name: `${scope} bot`, description: 'Runs CI' },
      });
      expect(res.status).toBe(201);
      expect(res.body.agent).toMatchObject({
        name: `${scope} bot`,
        description: 'Runs CI',
        createdBy: { type: 'workspace_token', id: key.id },
      });
    }
    const managerKey = await createAccessToken(app(), members.owner, workspace, { scope: 'workspace_manager' });
    const refused = await app().request('POST', agentsPath(workspace.id), { token: managerKey.token, body: { name: 'nope' } });
    expectError(refused, 403, 'PERMISSION_DENIED');
    expect(refused.body.missingPermission).toBe('agents:write');
    expect(await countAgents(app().ctx.db, workspace.id)).toBe(2);
  });

  it('an agent lists and reads agents but cannot register, edit or delete them', async () => {
    const { workspace, members } = await createTeam(app());
    const agent = await registerAgent(app(), members.owner.token, workspace);
    expect((await app().request('GET', agentsPath(workspace.id), { token: agent.token })).body.items).toHaveLength(1);
    expect((await app().request('GET', `/api/v1/agents/${agent.id}`, { token: agent.token })).status).toBe(200);
    const attempts = [
      ['POST', agentsPath(workspace.id), { name: 'Clone' }],
      ['PATCH', `/api/v1/agents/${agent.id}`, { name: 'Boss' }],
      ['POST', `/api/v1/agents/${agent.id}/token`, undefined],
      ['DELETE', `/api/v1/agents/${agent.id}`, undefined],
    ] as const;
    for (const [method, path, body] of attempts) {
      const res = await app().request(method, path, { token: agent.token, body });
      expectError(res, 403, 'AGENT_NOT_ALLOWED');
      expect(res.body.error).toBe('Agent tokens cannot create agents');
    }
    expect(await app().ctx.db.selectFrom('agents').select('name').where('workspace_id', '=', workspace.id).execute()).toEqual([
      { name: 'Build bot' },
    ]);
  });

  it("outsiders, and other workspaces' credentials, get the same 404 as for an unknown agent", async () => {
    const { workspace, members, outsider } = await createTeam(app());
    const other = await createTeam(app());
    const agent = await registerAgent(app(), members.owner.token, workspace);
    const otherAgent = await registerAgent(app(), other.members.owner.token, other.workspace);
    for (const credential of [outsider.token, other.members.owner.token, otherAgent.token]) {
      const res = await app().request('GET', `/api/v1/agents/${agent.id}`, { token: credential });
      expectError(res, 404, 'NOT_FOUND');
      expect(res.body.error).toBe('Agent not found');
      expectError(await app().request('DELETE', `/api/v1/agents/${agent.id}`, { token: credential }), 404, 'NOT_FOUND');
    }
    expectError(await app().request('GET', agentsPath(workspace.id), { token: otherAgent.token }), 404, 'NOT_FOUND');
    const unknown = await app().request('GET', '/api/v1/agents/agt_unknown', { token: members.owner.token });
    expect(unknown.body.error).toBe('Agent not found');
    expect(await countAgents(app().ctx.db, workspace.id)).toBe(1);
  });

  it('edits and deletes: events and audit entries name the acting user; deletion ends the token', async () => {
    const { workspace, members } = await createTeam(app());
    const agent = await registerAgent(app(), members.administrator.token, workspace);
    const patched = await app().request('PATCH', `/api/v1/agents/${agent.id}`, {
      token: members.administrator.token,
      body: { name: '  Deploy bot ', description: 'Ships' },
    });
    expect(patched.body).toMatchObject({ name: 'Deploy bot', description: 'Ships' });
    expect((await app().request('DELETE', `/api/v1/agents/${agent.id}`, { token: members.owner.token })).status).toBe(204);
    expectError(await app().request('GET', '/api/v1/me', { token: agent.token }), 401, 'INVALID_TOKEN');

    const events = await app()
      .ctx.db.selectFrom('events')
      .select(['type', 'actor_id'])
      .where('resource_id', '=', agent.id)
      .orderBy('seq')
      .execute();
    expect(events).toEqual([
      { type: 'agent.created', actor_id: members.administrator.id },
      { type: 'agent.updated', actor_id: members.administrator.id },
      { type: 'agent.deleted', actor_id: members.owner.id },
    ]);
    const audit = await app()
      .ctx.db.selectFrom('audit_log')
      .select(['action', 'user_id', 'workspace_id'])
      .where('target_id', '=', agent.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => [a.action, a.user_id, a.workspace_id])).toEqual([
      ['agent.created', members.administrator.id, workspace.id],
      ['agent.updated', members.administrator.id, workspace.id],
      ['agent.deleted', members.owner.id, workspace.id],
    ]);
  });

  it('refuses bad input with 400 and changes nothing', async () => {
    const { workspace, members } = await createTeam(app());
    const agent = await registerAgent(app(), members.owner.token, workspace, 'Kept');
    const token = members.owner.token;
    for (const body of [
      {},
      { name: '' },
      { name: '  ' },
      { name: 'x'.repeat(101) },
      { name: 7 },
      { name: 'ok', role: 'owner' },
      { name: 'ok', description: 'x'.repeat(2001) },
    ]) {
      expectError(await app().request('POST', agentsPath(workspace.id), { token, body }), 400, 'VALIDATION_FAILED');
    }
    for (const body of [{}, { name: '' }, { workspaceId: 'wsp_x' }]) {
      expectError(await app().request('PATCH', `/api/v1/agents/${agent.id}`, { token, body }), 400, 'VALIDATION_FAILED');
    }
    for (const body of [{ graceSeconds: -1 }, { graceSeconds: 86_401 }, { graceSeconds: 'long' }, { grace: 5 }]) {
      expectError(await app().request('POST', `/api/v1/agents/${agent.id}/token`, { token, body }), 400, 'VALIDATION_FAILED');
    }
    const rows = await app()
      .ctx.db.selectFrom('agents')
      .select(['name', 'updated_at', 'created_at'])
      .where('workspace_id', '=', workspace.id)
      .execute();
    expect(rows).toEqual([{ name: 'Kept', updated_at: rows[0]?.created_at, created_at: expect.any(String) }]);
    expect((await app().request('GET', '/api/v1/me', { token: agent.token })).status).toBe(200);
  });
});
