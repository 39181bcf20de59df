import { expect, it } from 'vitest';
import { newId } from '../../src/lib/ids.js';
import { createUser, createWorkspace } from '../helpers/factories.js';
import { describeEachDialect, type HttpResult } from '../helpers/harness.js';
import { createWebhook } from '../webhooks/helpers.js';

/** The error body without what differs per request. */
function answer(res: HttpResult): { status: number; body: unknown } {
  const { requestId: _requestId, ...body } = res.body as Record<string, unknown>;
  return { status: res.status, body };
}

const WEBHOOK_ROUTES: { method: string; path: (id: string) => string; body?: unknown }[] = [
  { method: 'GET', path: (id) => `/api/v1/webhooks/${id}` },
  { method: 'PATCH', path: (id) => `/api/v1/webhooks/${id}`, body: { description: 'x' } },
  { method: 'DELETE', path: (id) => `/api/v1/webhooks/${id}` },
  { method: 'POST', path: (id) => `/api/v1/webhooks/${id}/rotate-secret`, body: {} },
  { method: 'POST', path: (id) => `/api/v1/webhooks/${id}/test` },
  { method: 'GET', path: (id) => `/api/v1/webhooks/${id}/deliveries` },
];

const DELIVERY_ROUTES: { method: string; path: (id: string) => string }[] = [
  { method: 'GET', path: (id) => `/api/v1/webhook-deliveries/${id}` },
  { method: 'POST', path: (id) => `/api/v1/webhook-deliveries/${id}/redeliver` },
];

// An outsider must not learn that a webhook or delivery id exists: its answer is a missing id's, word for word.
describeEachDialect('webhook and delivery ids leak nothing to outsiders', (app) => {
  it('an existing webhook answers an outsider exactly as a missing one does', async () => {
    const owner = await createUser(app());
    const workspace = await createWorkspace(app(), owner);
    const { webhookId } = await createWebhook(app(), owner, workspace.id, { url: 'http://127.0.0.1:9/hook', events: ['*'] });
    const outsider = await createUser(app());
    for (const route of WEBHOOK_ROUTES) {
      const existing = await app().request(route.method, route.path(webhookId), { token: outsider.token, body: route.body });
      const missing = await app().request(route.method, route.path(newId('webhook')), { token: outsider.token, body: route.body });
      expect(answer(existing), `${route.method} ${route.path(':id')}`).toEqual(answer(missing));
      expect(existing.status).toBe(404);
    }
  });

  it('an existing delivery answers an outsider exactly as a missing one does', async () => {
    const owner = await createUser(app());
    const workspace = await createWorkspace(app(), owner);
    const { webhookId } = await createWebhook(app(), owner, workspace.id, { url: 'http://127.0.0.1:9/hook', events: ['*'] });
    const ping = await app().request('POST', `/api/v1/webhooks/${webhookId}/test`, { token: owner.token });
    expect(ping.status, JSON.stringify(ping.body)).toBe(202);
    const outsider = await createUser(app());
    for (const route of DELIVERY_ROUTES) {
      const existing = await app().request(route.method, route.path(ping.body.id as string), { token: outsider.token });
      const missing = await app().request(route.method, route.path(newId('delivery')), { token: outsider.token });
      expect(answer(existing), `${route.method} ${route.path(':id')}`).toEqual(answer(missing));
      expect(existing.status).toBe(404);
    }
  });
});
