import { expect, it } from 'vitest';
import { createAccessToken } from '../access-tokens/helpers.js';
import { registerAgent } from '../agents/helpers.js';
import { addMember, createUser, createWorkspace, expectError } from '../helpers/factories.js';
import { describeEachDialect, type TestApp } from '../helpers/harness.js';
import { createToken } from '../tokens/helpers.js';
import { FAST_WEBHOOKS, receiversClosedAfterEach, waitForDeliveries } from '../webhooks/helpers.js';
import { leakAudits, leakEvents, reportLeak } from './helpers.js';

const me = (t: TestApp, token: string) => t.request('GET', '/api/v1/me', { token });
const SOURCE = 'https://example.test/acme/site/blob/main/.env';

describeEachDialect(
  'token leak reports: live tokens are revoked and their owners told',
  (app) => {
    const receivers = receiversClosedAfterEach();

    it('a personal token: revoked as leaked, an event in each of its owner’s workspaces, an audit entry, a webhook delivery', async () => {
      const hooked = await receivers.hookedWorkspace(app(), { events: ['token.leaked'] });
      const other = await createUser(app());
      const second = await createWorkspace(app(), other);
      await addMember(app(), other, second, hooked.owner, 'viewer');
      const personal = await createToken(app(), hooked.owner);
      expect((await me(app(), personal.token)).status).toBe(200);

      const examined = await reportLeak(app(), [`DEPLOY_KEY=${personal.token}\nother text`], SOURCE);

      expect(examined).toBe(1);
      expectError(await me(app(), personal.token), 401, 'TOKEN_REVOKED');
      const view = await app().request('GET', `/api/v1/tokens/${personal.id}`, { token: hooked.owner.token });
      expect(view.body).toMatchObject({ status: 'revoked', revokedReason: 'leaked', revokedAt: expect.any(String) });
      for (const workspaceId of [hooked.workspace.id, second.id]) {
        const events = await leakEvents(app(), hooked.owner.token, workspaceId);
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({ resourceType: 'token', resourceId: personal.id, data: { kind: 'personal', source: SOURCE } });
      }
      const audits = await leakAudits(app(), personal.id);
      expect(audits).toHaveLength(1);
      expect(audits[0]).toMatchObject({ user_id: hooked.owner.id, target_type: 'personal_token', ip: '127.0.0.1' });
      expect(JSON.parse(audits[0]!.details)).toMatchObject({ kind: 'personal', source: SOURCE });
      const [delivery] = await waitForDeliveries(app(), hooked.owner, hooked.webhookId, (items) => items.length === 1);
      expect(delivery).toMatchObject({ eventType: 'token.leaked' });
      const heard = await hooked.receiver.nth(0);
      expect(JSON.parse(heard.body)).toMatchObject({ type: 'token.leaked', data: { resourceId: personal.id } });
      expect(heard.body).not.toContain(personal.token);
    });

    it('a workspace token: revoked as leaked (listed as revoked), one event in its workspace, an audit entry', async () => {
      const hooked = await receivers.hookedWorkspace(app(), { events: ['token.*'] });
      const key = await createAccessToken(app(), hooked.owner, hooked.workspace, { scope: 'viewer' });

      expect(await reportLeak(app(), [key.token])).toBe(1);

      expectError(await me(app(), key.token), 401, 'TOKEN_REVOKED');
      const list = await app().request('GET', `/api/v1/workspaces/${hooked.workspace.id}/access-tokens`, { token: hooked.owner.token });
      expect(list.body.items.find((item: any) => item.id === key.id)).toMatchObject({ status: 'revoked', revokedReason: 'leaked' });
      const events = await leakEvents(app(), hooked.owner.token, hooked.workspace.id);
      expect(events.map((event) => [event.resourceId, event.data.kind])).toEqual([[key.id, 'workspace']]);
      const audits = await leakAudits(app(), key.id);
      expect(audits.map((entry) => [entry.workspace_id, entry.target_type, entry.ip])).toEqual([
        [hooked.workspace.id, 'access_token', '127.0.0.1'],
      ]);
      await waitForDeliveries(app(), hooked.owner, hooked.webhookId, (items) => items.some((d) => d.eventType === 'token.leaked'));
    });

    it('an agent token: revoked as leaked, its agent stays, an event in its workspace and an audit entry', async () => {
      const hooked = await receivers.hookedWorkspace(app(), { events: ['token.leaked'] });
      const agent = await registerAgent(app(), hooked.owner.token, hooked.workspace);

      expect(await reportLeak(app(), [agent.token])).toBe(1);

      expectError(await me(app(), agent.token), 401, 'TOKEN_REVOKED');
      const rows = await app().ctx.db.selectFrom('agent_tokens').selectAll().where('agent_id', '=', agent.id).execute();
      expect(rows.map((row) => row.revoked_reason)).toEqual(['leaked']);
      const events = await leakEvents(app(), hooked.owner.token, hooked.workspace.id);
      expect(events.map((event) => [event.resourceId, event.actor])).toEqual([[rows[0]!.id, { type: 'agent', id: agent.id }]]);
      expect(await leakAudits(app(), rows[0]!.id)).toHaveLength(1);
      await waitForDeliveries(app(), hooked.owner, hooked.webhookId, (items) => items.length === 1);
    });

    it('a session token ends its session; other sessions of the user go on', async () => {
      const user = await createUser(app());
      const workspace = await createWorkspace(app(), user);
      const leaked = (await app().request('POST', '/api/v1/auth/login', { body: { email: user.email, password: user.password } })).body
        .sessionToken as string;

      expect(await reportLeak(app(), [`cookie: tg_session=${leaked}`])).toBe(1);

      expect((await me(app(), leaked)).status).toBe(401);
      expect((await me(app(), user.token)).status).toBe(200);
      const events = await leakEvents(app(), user.token, workspace.id);
      expect(events.map((event) => event.data.kind)).toEqual(['session']);
    });

    it('several tokens of several kinds in one report are all revoked, each told once even when repeated', async () => {
      const owner = await createUser(app());
      const workspace = await createWorkspace(app(), owner);
      const personal = await createToken(app(), owner);
      const key = await createAccessToken(app(), owner, workspace, { scope: 'viewer' });

      const examined = await reportLeak(app(), [`${personal.token} ${key.token}`, personal.token, 'no token here']);

      expect(examined).toBe(2);
      expectError(await me(app(), personal.token), 401, 'TOKEN_REVOKED');
      expectError(await me(app(), key.token), 401, 'TOKEN_REVOKED');
      expect(await leakEvents(app(), owner.token, workspace.id)).toHaveLength(2);
    });

    it('a disabled workspace token is revoked too: re-enabling it would otherwise bring a leaked secret back', async () => {
      const owner = await createUser(app());
      const workspace = await createWorkspace(app(), owner);
      const key = await createAccessToken(app(), owner, workspace, { scope: 'viewer' });
      const path = `/api/v1/workspaces/${workspace.id}/access-tokens/${key.id}`;
      expect((await app().request('PATCH', path, { token: owner.token, body: { enabled: false } })).status).toBe(200);

      await reportLeak(app(), [key.token]);
      expect((await app().request('PATCH', path, { token: owner.token, body: { enabled: true } })).status).toBe(200);

      expectError(await me(app(), key.token), 401, 'TOKEN_REVOKED');
      expect(await leakAudits(app(), key.id)).toHaveLength(1);
    });
  },
  FAST_WEBHOOKS,
);
