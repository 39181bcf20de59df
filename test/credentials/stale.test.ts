import { expect, it } from 'vitest';
import { recordTokenWarnings } from '../../src/credentials/token-warnings.js';
import { registerAgent } from '../agents/helpers.js';
import { accessTokensPath, createAccessToken } from '../access-tokens/helpers.js';
import { createUser, createWorkspace } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { createToken } from '../tokens/helpers.js';
import { agentTokenId, days, eventsOfType, fromNow, listedIds, setTokenTimes, listedItems } from './warning-helpers.js';

// A shorter stale period than the default 90 days, to prove TASKGATE_STALE_TOKEN_DAYS is what counts.
describeEachDialect(
  'Stale tokens: stale, stale=true|false and token.stale',
  (app) => {
    it('flags working tokens unused for the stale period (since creation if never used) and filters by it', async () => {
      const owner = await createUser(app());
      await createWorkspace(app(), owner);
      const neverUsed = await createToken(app(), owner, { name: 'never used' });
      const usedLongAgo = await createToken(app(), owner, { name: 'used long ago' });
      const usedLately = await createToken(app(), owner, { name: 'used lately' });
      const fresh = await createToken(app(), owner, { name: 'fresh' });
      const revoked = await createToken(app(), owner, { name: 'revoked' });
      for (const token of [neverUsed, usedLongAgo, usedLately, revoked]) {
        await setTokenTimes(app(), 'personal_access_tokens', token.id, { created_at: fromNow(-days(100)) });
      }
      await setTokenTimes(app(), 'personal_access_tokens', usedLongAgo.id, { last_used_at: fromNow(-days(31)) });
      await setTokenTimes(app(), 'personal_access_tokens', usedLately.id, { last_used_at: fromNow(-days(29)) });
      expect((await app().request('DELETE', `/api/v1/tokens/${revoked.id}`, { token: owner.token })).status).toBe(204);

      const listed = await app().request('GET', '/api/v1/tokens', { token: owner.token });
      const staleness = Object.fromEntries(listedItems(listed).map((item) => [item.name, item.stale]));
      expect(staleness).toEqual({ 'never used': true, 'used long ago': true, 'used lately': false, fresh: false, revoked: false });
      expect((await listedIds(app(), owner, '/api/v1/tokens?stale=true')).sort()).toEqual([neverUsed.id, usedLongAgo.id].sort());
      expect((await listedIds(app(), owner, '/api/v1/tokens?stale=false')).sort()).toEqual([usedLately.id, fresh.id, revoked.id].sort());
      expect((await app().request('GET', '/api/v1/tokens?stale=maybe', { token: owner.token })).status).toBe(400);
    });

    it('flags stale workspace tokens and agents alike, and a use (still buffered) clears the flag in the view', async () => {
      const owner = await createUser(app());
      const workspace = await createWorkspace(app(), owner);
      const key = await createAccessToken(app(), owner, workspace, { scope: 'viewer' });
      const busyKey = await createAccessToken(app(), owner, workspace, { scope: 'viewer' });
      await setTokenTimes(app(), 'workspace_access_tokens', key.id, { created_at: fromNow(-days(40)) });
      await setTokenTimes(app(), 'workspace_access_tokens', busyKey.id, { created_at: fromNow(-days(40)) });
      expect(await listedIds(app(), owner, `${accessTokensPath(workspace)}?stale=true`)).toEqual([busyKey.id, key.id]);
      expect((await app().request('GET', '/api/v1/me', { token: busyKey.token })).status).toBe(200);
      const keys = await app().request('GET', accessTokensPath(workspace), { token: owner.token });
      expect(listedItems(keys).map((item) => [item.id, item.stale])).toEqual([
        [busyKey.id, false],
        [key.id, true],
      ]);

      const idle = await registerAgent(app(), owner.token, workspace, 'Idle bot');
      const busy = await registerAgent(app(), owner.token, workspace, 'Busy bot');
      await setTokenTimes(app(), 'agent_tokens', await agentTokenId(app(), idle.id), { created_at: fromNow(-days(31)) });
      const agentsPath = `/api/v1/workspaces/${workspace.id}/agents`;
      expect(await listedIds(app(), owner, `${agentsPath}?stale=true`)).toEqual([idle.id]);
      expect(await listedIds(app(), owner, `${agentsPath}?stale=false`)).toEqual([busy.id]);
      const agents = await app().request('GET', agentsPath, { token: owner.token });
      expect(listedItems(agents).map((item) => item.token?.stale)).toEqual([false, true]);
    });

    it('records token.stale once per stale token and week, even when run again or concurrently', async () => {
      const owner = await createUser(app());
      const workspace = await createWorkspace(app(), owner);
      const key = await createAccessToken(app(), owner, workspace, { scope: 'viewer', label: 'forgotten' });
      await createAccessToken(app(), owner, workspace, { scope: 'viewer', label: 'new' });
      await setTokenTimes(app(), 'workspace_access_tokens', key.id, { created_at: fromNow(-days(45)) });

      const now = Date.now();
      await Promise.all([recordTokenWarnings(app().ctx, now), recordTokenWarnings(app().ctx, now)]);
      await recordTokenWarnings(app().ctx, now);
      let events = await eventsOfType(app(), owner, workspace.id, 'token.stale');
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        resourceType: 'token',
        resourceId: key.id,
        actor: { type: 'workspace_token', id: key.id },
        data: { kind: 'access_token', name: 'forgotten', stale: true, staleAfterDays: 30, lastUsedAt: null },
      });

      // A week later it is still stale: one more event, once.
      await recordTokenWarnings(app().ctx, now + days(7));
      await recordTokenWarnings(app().ctx, now + days(7));
      events = await eventsOfType(app(), owner, workspace.id, 'token.stale');
      expect(events.map((e) => e.resourceId)).toEqual([key.id, key.id]);
    });
  },
  { TASKGATE_STALE_TOKEN_DAYS: '30' },
);
