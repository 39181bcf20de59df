import { expect, it } from 'vitest';
import { createAdmin, createTeam, expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { accessTokensPath, createAccessToken } from './helpers.js';

describeEachDialect('workspace access tokens and agents: plans', (app) => {
  it('a free workspace gets no workspace tokens or agents (403 PLAN_UPGRADE_REQUIRED), creating nothing', async () => {
    const { workspace, members } = await createTeam(app(), { plan: 'free' });
    const token = await app().request('POST', accessTokensPath(workspace), {
      token: members.owner.token,
      body: { label: 'x', scope: 'viewer' },
    });
    expectError(token, 403, 'PLAN_UPGRADE_REQUIRED');
    const agent = await app().request('POST', `/api/v1/workspaces/${workspace.id}/agents`, {
      token: members.owner.token,
      body: { name: 'bot' },
    });
    expectError(agent, 403, 'PLAN_UPGRADE_REQUIRED');
    const tokens = await app().ctx.db.selectFrom('workspace_access_tokens').select('id').where('workspace_id', '=', workspace.id).execute();
    const agents = await app().ctx.db.selectFrom('agents').select('id').where('workspace_id', '=', workspace.id).execute();
    expect([tokens.length, agents.length]).toEqual([0, 0]);
  });

  it('a workspace moved to the free plan refuses its tokens and agents at once, and accepts them again on a paid plan', async () => {
    const { workspace, members } = await createTeam(app(), { plan: 'team' });
    const key = await createAccessToken(app(), members.owner, workspace, { scope: 'administrator' });
    const agentRes = await app().request('POST', `/api/v1/workspaces/${workspace.id}/agents`, { token: key.token, body: { name: 'bot' } });
    const admin = await createAdmin(app());
    const setPlan = (plan: string) => app().request('PATCH', `/api/v1/workspaces/${workspace.id}`, { token: admin.token, body: { plan } });

    expect((await setPlan('free')).status).toBe(200);
    for (const credential of [key.token, agentRes.body.token]) {
      expectError(
        await app().request('GET', `/api/v1/workspaces/${workspace.id}/agents`, { token: credential }),
        403,
        'PLAN_UPGRADE_REQUIRED',
      );
    }
    // Sessions are not API tokens: the members still see their workspace.
    expect((await app().request('GET', `/api/v1/workspaces/${workspace.id}/agents`, { token: members.viewer.token })).status).toBe(200);

    expect((await setPlan('pro')).status).toBe(200);
    for (const credential of [key.token, agentRes.body.token]) {
      expect((await app().request('GET', `/api/v1/workspaces/${workspace.id}/agents`, { token: credential })).status).toBe(200);
    }
  });
});
