import { expect, it } from 'vitest';
import { createAdmin, createUser, createWorkspace, expectError, type TestUser } from '../helpers/factories.js';
import { describeEachDialect, type TestApp } from '../helpers/harness.js';
import { createAgent, createPersonalToken, createProject, createSpace, createTask } from '../tasks/fixtures.js';
import { createWebhook, FAST_WEBHOOKS, receiversClosedAfterEach, waitForDeliveries } from '../webhooks/helpers.js';

const EVIL = 'https://evil.example';

const receivers = receiversClosedAfterEach();

/** Everything a forged request could change, in a comparable form (last-used times aside: reads may flush them). */
async function snapshot(t: TestApp): Promise<string> {
  const tables = [
    'users',
    'sessions',
    'personal_access_tokens',
    'agent_tokens',
    'tasks',
    'task_assignees',
    'webhooks',
    'webhook_deliveries',
    'events',
    'audit_log',
    'workspaces',
  ] as const;
  const state: Record<string, unknown[]> = {};
  for (const table of tables) {
    const rows = (await t.ctx.db.selectFrom(table).selectAll().execute()) as Array<Record<string, unknown>>;
    state[table] = rows
      .map((row) => Object.fromEntries(Object.entries(row).filter(([name]) => !/^last_(used|seen)/.test(name))))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  return JSON.stringify(state);
}

/** A signed-in admin owning a workspace with a task, a token, an agent, a webhook with a delivered delivery, and another user. */
async function everyTarget(t: TestApp) {
  const admin = await createAdmin(t);
  const workspace = await createWorkspace(t, admin);
  const project = await createProject(t, admin, (await createSpace(t, admin, workspace.id)).id);
  const task = await createTask(t, admin, project.id);
  await createPersonalToken(t, admin);
  const tokenId = (await t.request('GET', '/api/v1/tokens', { token: admin.token })).body.items[0].id as string;
  const agent = await createAgent(t, admin, workspace.id);
  const receiver = await receivers.start();
  const { webhookId } = await createWebhook(t, admin, workspace.id, { url: receiver.url, events: ['*'] });
  expect((await t.request('POST', `/api/v1/webhooks/${webhookId}/test`, { token: admin.token })).status).toBeLessThan(300);
  const [delivery] = await waitForDeliveries(
    t,
    admin,
    webhookId,
    (items) => items.length > 0 && items.every((d) => d.status === 'succeeded'),
  );
  const other = await createUser(t);
  const sessionId = (await t.request('GET', '/api/v1/sessions', { token: admin.token })).body.items[0].id as string;
  return { admin, workspace, task, tokenId, agent, webhookId, deliveryId: delivery.id as string, other, sessionId };
}

function bodilessRoutes(targets: Awaited<ReturnType<typeof everyTarget>>): Array<[method: string, path: string]> {
  return [
    ['POST', `/api/v1/tasks/${targets.task.id}/claim`],
    ['POST', `/api/v1/tasks/${targets.task.id}/complete`],
    ['POST', `/api/v1/tokens/${targets.tokenId}/rotate`],
    ['POST', '/api/v1/tokens/revoke-all'],
    ['POST', '/api/v1/sessions/revoke-others'],
    ['POST', `/api/v1/agents/${targets.agent.id}/token`],
    ['POST', `/api/v1/admin/users/${targets.other.id}/block`],
    ['POST', `/api/v1/webhooks/${targets.webhookId}/test`],
    ['POST', `/api/v1/webhooks/${targets.webhookId}/rotate-secret`],
    ['POST', `/api/v1/webhook-deliveries/${targets.deliveryId}/redeliver`],
    ['POST', '/api/v1/auth/logout'],
    ['DELETE', `/api/v1/tasks/${targets.task.id}`],
    ['DELETE', `/api/v1/tokens/${targets.tokenId}`],
    ['DELETE', `/api/v1/sessions/${targets.sessionId}`],
    ['DELETE', `/api/v1/agents/${targets.agent.id}/token`],
    ['DELETE', `/api/v1/webhooks/${targets.webhookId}`],
    ['DELETE', `/api/v1/workspaces/${targets.workspace.id}`],
  ];
}

/** A body-less request the way a browser sends it: the session cookie, no Authorization, no Content-Type. */
async function cookieRequest(t: TestApp, user: TestUser, method: string, path: string, headers: Record<string, string>) {
  const res = await fetch(t.url + path, { method, headers: { cookie: `tg_session=${user.token}`, ...headers } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

describeEachDialect(
  'the same-origin check on body-less cookie writes',
  (app) => {
    it('refuses every body-less session write from a foreign page, however the browser says so, and changes nothing', async () => {
      const targets = await everyTarget(app());
      const before = await snapshot(app());
      const foreign: Array<Record<string, string>> = [
        { origin: EVIL },
        { origin: EVIL, 'sec-fetch-site': 'cross-site' },
        { 'sec-fetch-site': 'cross-site' },
        { referer: `${EVIL}/page` },
        // Neither Origin nor Referer nor Sec-Fetch-Site: a cookie write with no proof of where it comes from.
        {},
      ];
      for (const [method, path] of bodilessRoutes(targets)) {
        for (const headers of foreign) {
          const res = await cookieRequest(app(), targets.admin, method, path, headers);
          expectError(res, 403, 'CSRF_REJECTED');
        }
      }
      expect(await snapshot(app())).toBe(before);
      // The session survived every forged logout and revocation.
      expect((await cookieRequest(app(), targets.admin, 'GET', '/api/v1/me', {})).status).toBe(200);
    });

    it('accepts the same body-less writes from this server’s own pages: its Origin, Sec-Fetch-Site, or its Referer', async () => {
      const targets = await everyTarget(app());
      const own = app().url;
      const claim = await cookieRequest(app(), targets.admin, 'POST', `/api/v1/tasks/${targets.task.id}/claim`, { origin: own });
      expect(claim.status, JSON.stringify(claim.body)).toBe(200);
      const complete = await cookieRequest(app(), targets.admin, 'POST', `/api/v1/tasks/${targets.task.id}/complete`, {
        referer: `${own}/tasks/${targets.task.id}`,
      });
      expect(complete.status, JSON.stringify(complete.body)).toBe(200);
      const test = await cookieRequest(app(), targets.admin, 'POST', `/api/v1/webhooks/${targets.webhookId}/test`, {
        'sec-fetch-site': 'same-origin',
      });
      expect(test.status, JSON.stringify(test.body)).toBeLessThan(300);
      expect((await cookieRequest(app(), targets.admin, 'POST', '/api/v1/auth/logout', { origin: own })).status).toBe(204);
    });
  },
  FAST_WEBHOOKS,
);
