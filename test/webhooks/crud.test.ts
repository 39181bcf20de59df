import { expect, it } from 'vitest';
import { createTeam, createUser, createWorkspace, expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { createWebhook } from './helpers.js';

const URL_OK = 'http://127.0.0.1:9/hook';

describeEachDialect('webhook endpoints', (app) => {
  it('creates an endpoint and shows its secret once, stored only encrypted', async () => {
    const owner = await createUser(app());
    const workspace = await createWorkspace(app(), owner);
    const { webhookId, secret, body } = await createWebhook(app(), owner, workspace.id, {
      url: URL_OK,
      events: ['task.created', 'member.*'],
      description: 'CI',
    });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(body).toMatchObject({
      url: URL_OK,
      events: ['task.created', 'member.*'],
      description: 'CI',
      enabled: true,
      projectIds: null,
      disabledReason: null,
      createdBy: { type: 'user', id: owner.id },
    });

    const shown = await app().request('GET', `/api/v1/webhooks/${webhookId}`, { token: owner.token });
    expect(shown.status).toBe(200);
    expect(shown.text).not.toContain(secret.slice(6));
    const row = await app().ctx.db.selectFrom('webhooks').selectAll().where('id', '=', webhookId).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(secret.slice(6));
    expect(row.secret_encrypted).toMatch(/^v1\./);
  });

  it('lists, changes and deletes endpoints', async () => {
    const owner = await createUser(app());
    const workspace = await createWorkspace(app(), owner);
    const a = await createWebhook(app(), owner, workspace.id, { url: URL_OK, events: ['*'] });
    const b = await createWebhook(app(), owner, workspace.id, { url: URL_OK, events: ['*'] });
    const list = await app().request('GET', `/api/v1/workspaces/${workspace.id}/webhooks?limit=1`, { token: owner.token });
    expect(list.body.items.map((w: { id: string }) => w.id)).toEqual([a.webhookId]);
    const rest = await app().request('GET', `/api/v1/workspaces/${workspace.id}/webhooks?cursor=${list.body.nextCursor}`, {
      token: owner.token,
    });
    expect(rest.body).toEqual({ items: [expect.objectContaining({ id: b.webhookId })], nextCursor: null });

    const patched = await app().request('PATCH', `/api/v1/webhooks/${a.webhookId}`, {
      token: owner.token,
      body: { events: ['member.added'], description: 'changed', enabled: false },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({
      events: ['member.added'],
      description: 'changed',
      enabled: false,
      disabledReason: 'Disabled through the API',
    });
    const enabled = await app().request('PATCH', `/api/v1/webhooks/${a.webhookId}`, { token: owner.token, body: { enabled: true } });
    expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null, disabledAt: null });

    expect((await app().request('DELETE', `/api/v1/webhooks/${a.webhookId}`, { token: owner.token })).status).toBe(204);
    expectError(await app().request('GET', `/api/v1/webhooks/${a.webhookId}`, { token: owner.token }), 404, 'NOT_FOUND');
    const audit = await app().ctx.db.selectFrom('audit_log').select('action').where('target_id', '=', a.webhookId).orderBy('id').execute();
    expect(audit.map((e) => e.action)).toEqual(['webhook.created', 'webhook.updated', 'webhook.updated', 'webhook.deleted']);
  });

  it('refuses bad input with a 4xx and creates nothing', async () => {
    const owner = await createUser(app());
    const workspace = await createWorkspace(app(), owner);
    const path = `/api/v1/workspaces/${workspace.id}/webhooks`;
    const bad: Array<[unknown, string]> = [
      [{ url: URL_OK, events: ['task.exploded'] }, 'VALIDATION_FAILED'],
      [{ url: URL_OK, events: [] }, 'VALIDATION_FAILED'],
      [{ url: URL_OK }, 'VALIDATION_FAILED'],
      [{ url: URL_OK, events: ['*'], secret: 'mine' }, 'VALIDATION_FAILED'],
      [{ url: 'not a url', events: ['*'] }, 'VALIDATION_FAILED'],
      [{ url: 'ftp://example.com/x', events: ['*'] }, 'VALIDATION_FAILED'],
      [{ url: 'http://user:pw@127.0.0.1/x', events: ['*'] }, 'VALIDATION_FAILED'],
      [{ url: URL_OK, events: ['*'], description: 'x'.repeat(501) }, 'VALIDATION_FAILED'],
      [{ url: URL_OK, events: ['*'], projectIds: [] }, 'VALIDATION_FAILED'],
    ];
    for (const [body, code] of bad) expectError(await app().request('POST', path, { token: owner.token, body }), 400, code);
    expectError(await app().request('POST', path, { token: owner.token, rawBody: '{"url":' }), 400, 'MALFORMED_JSON');
    const list = await app().request('GET', path, { token: owner.token });
    expect(list.body.items).toEqual([]);

    const { webhookId } = await createWebhook(app(), owner, workspace.id, { url: URL_OK, events: ['*'] });
    for (const body of [{ events: ['nope'] }, { url: 'gopher://x' }, { enabled: 'yes' }, { colour: 'red' }]) {
      expectError(await app().request('PATCH', `/api/v1/webhooks/${webhookId}`, { token: owner.token, body }), 400, 'VALIDATION_FAILED');
    }
    expectError(
      await app().request('POST', `/api/v1/webhooks/${webhookId}/rotate-secret`, { token: owner.token, body: { graceSeconds: -1 } }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await app().request('GET', `/api/v1/webhooks/${webhookId}/deliveries?status=lost`, { token: owner.token }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await app().request('GET', `/api/v1/webhooks/${webhookId}/deliveries?cursor=garbage`, { token: owner.token }),
      400,
      'VALIDATION_FAILED',
    );
    const unchanged = await app().request('GET', `/api/v1/webhooks/${webhookId}`, { token: owner.token });
    expect(unchanged.body).toMatchObject({ url: URL_OK, events: ['*'], enabled: true });
  });

  it('lets Administrators and Owners manage webhooks, and nobody below', async () => {
    const { workspace, members, outsider } = await createTeam(app());
    const path = `/api/v1/workspaces/${workspace.id}/webhooks`;
    const made = await createWebhook(app(), members.administrator, workspace.id, { url: URL_OK, events: ['*'] });
    for (const role of ['workspace_manager', 'team_member', 'viewer'] as const) {
      const token = members[role].token;
      expectError(await app().request('GET', path, { token }), 403, 'PERMISSION_DENIED');
      expectError(await app().request('POST', path, { token, body: { url: URL_OK, events: ['*'] } }), 403, 'PERMISSION_DENIED');
      expectError(await app().request('GET', `/api/v1/webhooks/${made.webhookId}`, { token }), 403, 'PERMISSION_DENIED');
      expectError(
        await app().request('PATCH', `/api/v1/webhooks/${made.webhookId}`, { token, body: { enabled: false } }),
        403,
        'PERMISSION_DENIED',
      );
      expectError(
        await app().request('POST', `/api/v1/webhooks/${made.webhookId}/rotate-secret`, { token, body: {} }),
        403,
        'PERMISSION_DENIED',
      );
    }
    expectError(await app().request('GET', `/api/v1/webhooks/${made.webhookId}`, { token: outsider.token }), 404, 'NOT_FOUND');
    expectError(await app().request('DELETE', `/api/v1/webhooks/${made.webhookId}`, { token: outsider.token }), 404, 'NOT_FOUND');
    const byOwner = await app().request('GET', `/api/v1/webhooks/${made.webhookId}`, { token: members.owner.token });
    expect(byOwner.body.enabled).toBe(true);
  });
});
