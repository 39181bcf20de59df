import { expect, it } from 'vitest';
import { describeEachDialect } from '../helpers/harness.js';
import { addSomeone, FAST_WEBHOOKS, receiversClosedAfterEach, waitForDeliveries } from './helpers.js';

const receivers = receiversClosedAfterEach();

describeEachDialect(
  'webhook endpoint health',
  (app) => {
    it('a success ends a failing streak that began while it was in flight', async () => {
      const hooked = await receivers.hookedWorkspace(app(), { events: ['member.added', 'member.role_changed'] });
      // The first delivery is slow to succeed; the second, sent meanwhile, fails at once (and waits an hour to retry).
      hooked.receiver.respond((request) =>
        JSON.parse(request.body).type === 'member.added' ? { status: 200, delayMs: 800 } : { status: 500 },
      );
      const member = await addSomeone(app(), hooked);
      await hooked.receiver.nth(0);
      const changed = await app().request('PATCH', `/api/v1/workspaces/${hooked.workspace.id}/members/${member.id}`, {
        token: hooked.owner.token,
        body: { role: 'team_member' },
      });
      expect(changed.status).toBe(200);

      const items = await waitForDeliveries(app(), hooked.owner, hooked.webhookId, (list) =>
        list.some((d) => d.eventType === 'member.added' && d.status === 'succeeded'),
      );
      expect(items.find((d) => d.eventType === 'member.role_changed')).toMatchObject({
        status: 'pending',
        attempts: 1,
        lastResponseStatus: 500,
      });
      const webhook = await app().request('GET', `/api/v1/webhooks/${hooked.webhookId}`, { token: hooked.owner.token });
      expect(webhook.body).toMatchObject({ enabled: true, failingSince: null });
    });
  },
  { ...FAST_WEBHOOKS, TASKGATE_WEBHOOK_RETRY_SCHEDULE: '1h' },
);
