import { expect, it } from 'vitest';
import { createContext } from '../../src/context.js';
import { recordTokenWarnings } from '../../src/credentials/token-warnings.js';
import { registerAgent } from '../agents/helpers.js';
import { accessTokensPath, createAccessToken } from '../access-tokens/helpers.js';
import { createUser, createWorkspace } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { createToken } from '../tokens/helpers.js';
import { FAST_WEBHOOKS, createWebhook } from '../webhooks/helpers.js';
import { Receiver } from '../webhooks/receiver.js';
import { agentTokenId, days, eventsOfType, fromNow, hours, listedIds, setTokenTimes, listedItems } from './warning-helpers.js';

// RFC 3339 with a zone, as `Date#toISOString` writes it.
const RFC_3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

describeEachDialect(
  'Expiry warnings: expiresInDays, expiring=true and token.expiring',
  (app) => {
    it('lists expiresInDays (rounded down, 0 on the last day); expiring=true keeps tokens expiring within 7 days', async () => {
      const owner = await createUser(app());
      const workspace = await createWorkspace(app(), owner);
      const soon = await createToken(app(), owner, { name: 'soon' });
      const lastDay = await createToken(app(), owner, { name: 'last day' });
      const later = await createToken(app(), owner, { name: 'later' });
      const gone = await createToken(app(), owner, { name: 'expired' });
      await setTokenTimes(app(), 'personal_access_tokens', soon.id, { expires_at: fromNow(days(6) + hours(1)) });
      await setTokenTimes(app(), 'personal_access_tokens', lastDay.id, { expires_at: fromNow(hours(2)) });
      await setTokenTimes(app(), 'personal_access_tokens', later.id, { expires_at: fromNow(days(10) + hours(1)) });
      await setTokenTimes(app(), 'personal_access_tokens', gone.id, { expires_at: fromNow(-hours(1)) });

      const listed = await app().request('GET', '/api/v1/tokens', { token: owner.token });
      const daysLeft = Object.fromEntries(listedItems(listed).map((item) => [item.name, item.expiresInDays]));
      expect(daysLeft).toMatchObject({ soon: 6, 'last day': 0, later: 10, expired: null });
      expect((await listedIds(app(), owner, '/api/v1/tokens?expiring=true')).sort()).toEqual([soon.id, lastDay.id].sort());

      const key = await createAccessToken(app(), owner, workspace, { scope: 'viewer' });
      const otherKey = await createAccessToken(app(), owner, workspace, { scope: 'viewer' });
      await setTokenTimes(app(), 'workspace_access_tokens', key.id, { expires_at: fromNow(days(3) + hours(1)) });
      const keys = await app().request('GET', accessTokensPath(workspace), { token: owner.token });
      expect(listedItems(keys).find((item) => item.id === key.id)?.expiresInDays).toBe(3);
      expect(listedItems(keys).find((item) => item.id === otherKey.id)?.expiresInDays).toBeGreaterThan(300);
      expect(await listedIds(app(), owner, `${accessTokensPath(workspace)}?expiring=true`)).toEqual([key.id]);

      const agent = await registerAgent(app(), owner.token, workspace);
      await registerAgent(app(), owner.token, workspace, 'Other bot');
      await setTokenTimes(app(), 'agent_tokens', await agentTokenId(app(), agent.id), { expires_at: fromNow(hours(30)) });
      const agents = await app().request('GET', `/api/v1/workspaces/${workspace.id}/agents`, { token: owner.token });
      expect(listedItems(agents).find((item) => item.id === agent.id)?.token).toMatchObject({ expiresInDays: 1, stale: false });
      expect(await listedIds(app(), owner, `/api/v1/workspaces/${workspace.id}/agents?expiring=true`)).toEqual([agent.id]);
    });

    it('records token.expiring once per window in each workspace a personal token reaches, even when run again', async () => {
      const owner = await createUser(app());
      const first = await createWorkspace(app(), owner, { name: 'First' });
      const second = await createWorkspace(app(), owner, { name: 'Second' });
      const token = await createToken(app(), owner, { name: 'deploy' });
      await setTokenTimes(app(), 'personal_access_tokens', token.id, { expires_at: fromNow(days(6) - hours(1)) });

      await recordTokenWarnings(app().ctx);
      await recordTokenWarnings(app().ctx);
      for (const workspace of [first, second]) {
        const events = (await eventsOfType(app(), owner, workspace.id, 'token.expiring')).filter((e) => e.resourceId === token.id);
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({
          resourceType: 'token',
          actor: { type: 'user', id: owner.id },
          data: { kind: 'personal_token', id: token.id, name: 'deploy', warningWindow: '7d', expiresInDays: 5 },
        });
      }

      // A day before expiry, the 1-day warning follows, once.
      await setTokenTimes(app(), 'personal_access_tokens', token.id, { expires_at: fromNow(hours(20)) });
      await recordTokenWarnings(app().ctx);
      await recordTokenWarnings(app().ctx);
      const events = await eventsOfType(app(), owner, first.id, 'token.expiring');
      expect(events.filter((e) => e.resourceId === token.id).map((e) => e.data.warningWindow)).toEqual(['1d', '7d']);
    });

    it('records one event per token and window when passes run concurrently (in two contexts on PostgreSQL)', async () => {
      const owner = await createUser(app());
      const workspace = await createWorkspace(app(), owner);
      const key = await createAccessToken(app(), owner, workspace, { scope: 'viewer' });
      const agent = await registerAgent(app(), owner.token, workspace);
      await setTokenTimes(app(), 'workspace_access_tokens', key.id, { expires_at: fromNow(days(2)) });
      await setTokenTimes(app(), 'agent_tokens', await agentTokenId(app(), agent.id), { expires_at: fromNow(days(5)) });

      // Two contexts stand for two server processes. SQLite's driver is synchronous, so a second context in this
      // one process would block the thread waiting for the first's write lock: there, passes share the context.
      const other = app().dialect === 'postgres' ? await createContext(app().ctx.config) : app().ctx;
      try {
        await Promise.all([app().ctx, other, app().ctx, other].map((ctx) => recordTokenWarnings(ctx)));
      } finally {
        if (other !== app().ctx) await other.close();
      }
      const events = await eventsOfType(app(), owner, workspace.id, 'token.expiring');
      expect(events.map((e) => [e.data.kind, e.data.warningWindow]).sort()).toEqual([
        ['access_token', '7d'],
        ['agent_token', '7d'],
      ]);
      expect(events.find((e) => e.data.kind === 'agent_token')).toMatchObject({
        actor: { type: 'agent', id: agent.id },
        data: { agentId: agent.id, name: 'Build bot' },
      });
    });

    it('delivers token.expiring to a webhook subscribed to it', async () => {
      const owner = await createUser(app());
      const workspace = await createWorkspace(app(), owner);
      const receiver = await Receiver.start();
      try {
        await createWebhook(app(), owner, workspace.id, { url: receiver.url, events: ['token.expiring'] });
        const key = await createAccessToken(app(), owner, workspace, { scope: 'viewer', label: 'nightly' });
        await setTokenTimes(app(), 'workspace_access_tokens', key.id, { expires_at: fromNow(days(6)) });
        await recordTokenWarnings(app().ctx);
        const [delivery] = await receiver.waitFor((requests) => requests.length >= 1);
        const payload = JSON.parse(delivery!.body);
        expect(payload.type).toBe('token.expiring');
        expect(JSON.stringify(payload)).toContain(key.id);
      } finally {
        await receiver.close();
      }
    });

    it('answers Taskgate-Token-Expires in RFC 3339 on successes and on errors after authentication', async () => {
      const owner = await createUser(app());
      const workspace = await createWorkspace(app(), owner);
      const token = await createToken(app(), owner);
      const key = await createAccessToken(app(), owner, workspace, { scope: 'viewer' });
      for (const credential of [token.token, key.token]) {
        const answers = [
          await app().request('GET', '/api/v1/me', { token: credential }),
          await app().request('GET', '/api/v1/tasks/tsk_missing', { token: credential }),
          await app().request('GET', '/api/v1/tokens', { token: credential }),
        ];
        expect(answers.map((res) => res.status)).toEqual([200, 404, 403]);
        for (const res of answers) expect(res.headers.get('taskgate-token-expires')).toMatch(RFC_3339);
      }
    });
  },
  FAST_WEBHOOKS,
);
