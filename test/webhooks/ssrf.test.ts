import { expect, it } from 'vitest';
import { createUser, createWorkspace, expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { addSomeone, createWebhook, FAST_WEBHOOKS, receiversClosedAfterEach, waitForDeliveries } from './helpers.js';

const receivers = receiversClosedAfterEach();

const REFUSED = [
  'http://127.0.0.1:8080/hook',
  'http://localhost/hook',
  'http://[::1]/hook',
  'http://[::ffff:127.0.0.1]/hook',
  'http://[::ffff:a9fe:a9fe]/latest/meta-data',
  'http://[::ffff:0:7f00:1]/hook', // IPv4-translated 127.0.0.1
  'http://[::ffff:0:a9fe:a9fe]/latest/meta-data',
  'http://169.254.169.254/latest/meta-data',
  'http://[fd00:ec2::254]/latest',
  'http://100.100.100.200/latest',
  'http://10.1.2.3/hook',
  'http://172.16.0.1/hook',
  'http://192.168.1.1/hook',
  'http://0.0.0.0/hook',
  'http://[::]/hook',
  'http://[fe80::1]/hook',
  'http://[fc00::1]/hook',
  'http://2130706433/hook', // 127.0.0.1 as one number
  'http://0x7f.1/hook', // 127.0.0.1 in hex shorthand
  'http://224.0.0.1/hook',
  'file:///etc/passwd',
  'ftp://93.184.216.34/hook',
  'javascript:alert(1)',
  'gopher://93.184.216.34:25/',
];

describeEachDialect(
  'webhook SSRF protection',
  (app) => {
    it('refuses non-http(s) URLs and hosts that are loopback, private, link-local or metadata', async () => {
      const owner = await createUser(app());
      const workspace = await createWorkspace(app(), owner);
      const path = `/api/v1/workspaces/${workspace.id}/webhooks`;
      for (const url of REFUSED) {
        const res = await app().request('POST', path, { token: owner.token, body: { url, events: ['*'] } });
        expectError(res, 400, 'VALIDATION_FAILED');
        expect(res.body.fields, url).toEqual([{ field: 'url', message: expect.any(String) }]);
      }
      expect((await app().request('GET', path, { token: owner.token })).body.items).toEqual([]);
    });

    it('accepts a public address, and refuses a change to a private one', async () => {
      const owner = await createUser(app());
      const workspace = await createWorkspace(app(), owner);
      const { webhookId } = await createWebhook(app(), owner, workspace.id, { url: 'https://93.184.216.34/hook', events: ['*'] });
      const res = await app().request('PATCH', `/api/v1/webhooks/${webhookId}`, {
        token: owner.token,
        body: { url: 'http://127.0.0.1:9/' },
      });
      expectError(res, 400, 'VALIDATION_FAILED');
      expect((await app().request('GET', `/api/v1/webhooks/${webhookId}`, { token: owner.token })).body.url).toBe(
        'https://93.184.216.34/hook',
      );
    });

    it('checks the destination again at delivery time and sends nothing to a private address', async () => {
      const owner = await createUser(app());
      const workspace = await createWorkspace(app(), owner);
      const receiver = await receivers.start();
      const { webhookId } = await createWebhook(app(), owner, workspace.id, { url: 'https://93.184.216.34/hook', events: ['*'] });
      // What a DNS answer that changed after creation amounts to: the endpoint now leads to this host.
      await app().ctx.db.updateTable('webhooks').set({ url: receiver.url }).where('id', '=', webhookId).execute();

      await addSomeone(app(), { owner, workspace });
      const [delivery] = await waitForDeliveries(app(), owner, webhookId, (items) => items[0]?.attempts >= 1);
      const detail = await app().request('GET', `/api/v1/webhook-deliveries/${delivery.id}`, { token: owner.token });
      expect(detail.body.attemptHistory[0]).toMatchObject({
        responseStatus: null,
        error: expect.stringMatching(/^refused: 127\.0\.0\.1 resolves to 127\.0\.0\.1/),
      });
      expect(receiver.requests).toHaveLength(0);
    });
  },
  { ...FAST_WEBHOOKS, TASKGATE_WEBHOOK_ALLOW_PRIVATE: 'false' },
);
